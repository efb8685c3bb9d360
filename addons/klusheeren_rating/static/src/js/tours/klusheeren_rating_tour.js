import { registry } from "@web/core/registry";

// The reporter rates a completed work order on a phone: three criteria, "solved?", a comment.
registry.category("web_tour.tours").add("klusheeren_rating_phone", {
    steps: () => [
        {
            content: "The feedback page asks for the three criteria",
            trigger: ".o_kh_rating_form .o_kh_criterion_speed legend",
        },
        {
            content: "Four stars for speed",
            trigger: "label[for='kh_speed_4']",
            run: "click",
        },
        {
            content: "Five stars for communication",
            trigger: "label[for='kh_communication_5']",
            run: "click",
        },
        {
            content: "Three stars for quality",
            trigger: "label[for='kh_quality_3']",
            run: "click",
        },
        {
            content: "The problem is solved",
            trigger: "label[for='kh_solved_yes']",
            run: "click",
        },
        {
            content: "A comment",
            trigger: "textarea[name='comment']",
            run: "edit Snel geholpen, prima uitleg.",
        },
        {
            content: "Send the feedback",
            trigger: ".o_kh_rating_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and the stars are kept for editing",
            trigger: ".o_kh_rating_saved",
        },
        {
            content: "The chosen stars are shown again",
            trigger: "input#kh_speed_4:checked:not(:visible)",
        },
    ],
});
