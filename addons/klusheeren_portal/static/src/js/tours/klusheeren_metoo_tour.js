import { registry } from "@web/core/registry";

// Issue 24: a colleague scans the sticker of a machine that is already reported, sees the open report
// and says "this is my problem too" instead of reporting it again (run by tests/test_metoo_tour.py).
registry.category("web_tour.tours").add("klusheeren_portal_metoo_phone", {
    steps: () => [
        {
            content: "The open report is shown first, with its status",
            trigger: ".o_klusheeren_open_report .o_klusheeren_open_what:contains(De koelkast lekt water)",
        },
        {
            content: "with its status in the reporter's words",
            trigger: ".o_klusheeren_open_report .o_klusheeren_open_status span.o_klusheeren_status_text:not(:empty)",
        },
        {
            content: "The only open report is chosen already",
            trigger: ".o_klusheeren_open_report input[name='ticket_id']:checked",
        },
        {
            content: "This is my problem too",
            trigger: ".o_klusheeren_metoo_form summary.o_klusheeren_metoo_open",
            run: "click",
        },
        {
            content: "Leave an e-mail address",
            trigger: ".o_klusheeren_metoo_form input[name='email']",
            run: "edit collega.tour@example.com",
        },
        {
            content: "Keep me informed",
            trigger: ".o_klusheeren_metoo_form button.o_klusheeren_metoo_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Kept informed: no new report",
            trigger: ".o_klusheeren_metoo_thanks h1",
        },
    ],
});
