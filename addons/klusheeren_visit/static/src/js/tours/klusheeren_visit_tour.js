import { registry } from "@web/core/registry";

// The contact checks in for an appointment on a phone, in Dutch: confirms, accepts an extra
// service, leaves a remark for the contractor and switches reminders to SMS.
registry.category("web_tour.tours").add("klusheeren_visit_phone", {
    steps: () => [
        {
            content: "The page shows the appointment in Dutch",
            trigger: ".o_kh_visit_appointment h1:contains('donderdag 20 mei 2027, 10:00')",
        },
        {
            content: "Planned work with prices incl. VAT",
            trigger: ".o_kh_visit_total:contains('151,25')",
        },
        {
            content: "Confirm the appointment",
            trigger: ".o_kh_visit_confirm:contains('Bevestig de afspraak')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked",
            trigger: ".o_kh_visit_notice:contains('de afspraak is bevestigd')",
        },
        {
            content: "Accept the optional service",
            trigger: ".o_kh_visit_option:contains('Koelkast reinigen') .o_kh_visit_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The service is added",
            trigger: ".o_kh_visit_option_answer:contains('Geaccepteerd')",
        },
        {
            content: "A remark: subject",
            trigger: "input[name='subject']",
            run: "edit Sleutel bij de receptie",
        },
        {
            content: "A remark: description",
            trigger: "textarea[name='description']",
            run: "edit Vraag naar Petra, zij loopt mee naar de pantry.",
        },
        {
            content: "Send the remark",
            trigger: ".o_kh_visit_remark_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The remark is listed",
            trigger: ".o_kh_visit_remark:contains('Sleutel bij de receptie')",
        },
        {
            content: "A mobile number",
            trigger: "input[name='phone']",
            run: "edit 06 8765 4321",
        },
        {
            content: "Remind me by SMS",
            trigger: "label[for='kh_channel_sms']",
            run: "click",
        },
        {
            content: "Save the contact details",
            trigger: ".o_kh_visit_contact_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved",
            trigger: ".o_kh_visit_notice:contains('Uw contactgegevens zijn opgeslagen.')",
        },
    ],
});
