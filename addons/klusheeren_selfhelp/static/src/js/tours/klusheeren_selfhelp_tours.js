import { registry } from "@web/core/registry";

// The reporter at the machine finds the answer on the sticker's form (tests/test_selfhelp_tours.py, 390 x 844).
registry.category("web_tour.tours").add("klusheeren_selfhelp_solved_phone", {
    steps: () => [
        {
            content: "The sticker's form shows the articles of its equipment, collapsed",
            trigger: ".kh-selfhelp details.kh-selfhelp-article:not([open]) summary:contains(Fridge article 2)",
        },
        {
            content: "Open the second article",
            trigger: ".kh-selfhelp details.kh-selfhelp-article summary:contains(Fridge article 2)",
            run: "click",
        },
        {
            content: "Its text and photo are shown, the page still as wide as the phone",
            trigger: "details.kh-selfhelp-article[open] .kh-selfhelp-text:contains(Check number 2)",
            run() {
                const root = document.documentElement;
                if (root.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`${root.scrollWidth} px wide for ${window.innerWidth}`);
                }
            },
        },
        {
            content: "This solved it",
            trigger: "details.kh-selfhelp-article[open] .kh-selfhelp-solved button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and nothing reported",
            trigger: ".o_klusheeren_selfhelp_thanks",
        },
        {
            content: "A way back to the form, should the fault return",
            trigger: ".o_klusheeren_qr a[href*='/qr/']",
        },
    ],
});
