import { registry } from "@web/core/registry";

// The three phone journeys of klusheeren_portal, run by tests/test_tours.py at phone width.

// a real 1x1 PNG: the server judges uploads by their content
const PNG_BASE64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

// an appointment next year: the model refuses dates more than two years ahead
const NEXT_YEAR = new Date().getFullYear() + 1;

function pngFile(name) {
    const bytes = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));
    return new File([bytes], name, { type: "image/png" });
}

/** Set a value the way a phone's native picker does (date/time inputs cannot be typed into). */
function setNativeValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    if (input.value !== value) {
        throw new Error(`The input ${input.id} refused the value ${value}`);
    }
}

// 1. The reporter scans the sticker, reports the fault with a photo, and gets a ticket number.
registry.category("web_tour.tours").add("klusheeren_portal_report_phone", {
    steps: () => [
        {
            content: "The sticker opens the report form of its equipment",
            trigger: ".o_klusheeren_equipment_card h1:contains(Koelkast 2.21)",
        },
        {
            content: "The form is there, at phone width",
            trigger: ".o_klusheeren_report_form textarea#kh_description",
        },
        {
            content: "Sending an empty form",
            trigger: ".o_klusheeren_report_form button[type='submit']",
            run: "click",
        },
        {
            content: "The browser refuses it: the description is required",
            trigger: ".o_klusheeren_report_form textarea#kh_description:invalid",
        },
        {
            content: "The e-mail address is required too",
            trigger: ".o_klusheeren_report_form input#kh_email:invalid",
        },
        {
            content: "Describe the fault",
            trigger: "textarea#kh_description",
            run: "edit De koelkast koelt niet meer, de melk is zuur.",
        },
        {
            content: "The description is accepted",
            trigger: "textarea#kh_description:valid",
        },
        {
            content: "Name",
            trigger: "input#kh_name",
            run: "edit Douwe Tour",
        },
        {
            content: "A mistyped e-mail address",
            trigger: "input#kh_email",
            run: "edit douwe.tour-at-example.com",
        },
        {
            content: "The browser marks the address as invalid",
            trigger: "input#kh_email:invalid",
        },
        {
            content: "The right e-mail address",
            trigger: "input#kh_email",
            run: "edit douwe.tour@example.com",
        },
        {
            content: "The address is accepted",
            trigger: "input#kh_email:valid",
        },
        {
            content: "Phone",
            trigger: "input#kh_phone",
            run: "edit 06-12345678",
        },
        {
            content: "Add a photo",
            trigger: "input#kh_photos",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(pngFile("lekkage.png"));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
                if (this.anchor.files.length !== 1) {
                    throw new Error("The photo was not attached");
                }
            },
        },
        {
            content: "Create the ticket",
            trigger: ".o_klusheeren_report_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thanks page shows the ticket number",
            trigger: ".o_klusheeren_report_thanks .o_klusheeren_ticket_number:contains(KH-A-)",
        },
        {
            content: "says the report is being entered, and looks again by itself",
            trigger: ".o_klusheeren_report_thanks .o_klusheeren_ticket_pending",
            expectUnloadPage: true,
        },
        {
            content: "and the reporter's tracking link, with its token",
            trigger: ".o_klusheeren_report_thanks a.o_klusheeren_tracking_link[href*='access_token=']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tracking link opens the report's status page",
            trigger: ".o_klusheeren_ticket_status .o_klusheeren_progress li.o_current",
        },
        {
            content: "with the description that was typed",
            trigger: ".o_klusheeren_description:contains(de melk is zuur)",
        },
    ],
});

// 2. The contractor accepts, plans, pauses for parts, resumes and completes a work order.
registry.category("web_tour.tours").add("klusheeren_portal_work_order_phone", {
    steps: () => [
        {
            content: "A sent work order: the contractor's fields wait for the acceptance",
            trigger: ".o_klusheeren_contractor_form fieldset:disabled #kh_remarks",
        },
        {
            content: "Accept the work order",
            trigger: ".o_klusheeren_actions button.o_klusheeren_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Accepted",
            trigger: ".o_klusheeren_notice",
        },
        {
            content: "The contractor's fields are open now",
            trigger: ".o_klusheeren_contractor_form fieldset:enabled #kh_appointment",
        },
        {
            content: "Appointment date and time",
            trigger: "#kh_appointment",
            run() {
                setNativeValue(this.anchor, `${NEXT_YEAR}-03-14T09:30`);
            },
        },
        {
            content: "Remarks",
            trigger: "#kh_remarks",
            run: "edit Compressor vervangen",
        },
        {
            content: "Amount, with a decimal comma as typed on a Dutch phone",
            trigger: "#kh_amount",
            run: "edit 258,17",
        },
        {
            content: "Under warranty",
            trigger: "label[for='kh_warranty_yes']",
            run: "click",
        },
        {
            content: "Own reference",
            trigger: "#kh_reference",
            run: "edit JAN-4711",
        },
        {
            content: "Save",
            trigger: "button.o_klusheeren_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved",
            trigger: ".o_klusheeren_notice",
        },
        {
            content: "The appointment is shown as it was typed",
            trigger: `#kh_appointment[value='${NEXT_YEAR}-03-14T09:30']`,
        },
        {
            content: "The other saved values are shown",
            trigger: "#kh_amount[value='258.17']",
            run() {
                const reference = document.querySelector("#kh_reference");
                const remarks = document.querySelector("#kh_remarks");
                const warranty = document.querySelector("#kh_warranty_yes");
                if (reference.value !== "JAN-4711" || remarks.value !== "Compressor vervangen" || !warranty.checked) {
                    throw new Error("The saved values are not shown again");
                }
            },
        },
        {
            content: "Parts on order",
            trigger: ".o_klusheeren_hold_form summary.o_klusheeren_hold_open",
            run: "click",
        },
        {
            content: "Pausing without a reason",
            trigger: ".o_klusheeren_hold_form details[open] button.o_klusheeren_hold",
            run: "click",
        },
        {
            content: "The browser asks for the reason",
            trigger: ".o_klusheeren_hold_form textarea[name='reason']:invalid",
        },
        {
            content: "Which parts",
            trigger: ".o_klusheeren_hold_form textarea[name='reason']",
            run: "edit Thermostaat besteld, levering vrijdag",
        },
        {
            content: "Pause",
            trigger: ".o_klusheeren_hold_form button.o_klusheeren_hold",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Paused, with the reason",
            trigger: ".o_klusheeren_actions .alert-warning:contains(Thermostaat besteld)",
        },
        {
            content: "Resume when the parts have arrived",
            trigger: "button.o_klusheeren_resume",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Resumed: the work order can be paused again",
            trigger: ".o_klusheeren_hold_open",
        },
        {
            content: "Final remarks",
            trigger: "#kh_remarks",
            run: "edit Opgelost, compressor vervangen",
        },
        {
            content: "Complete, but answer no to the confirmation",
            trigger: "button.o_klusheeren_done",
            run() {
                window.confirm = () => false;
                this.anchor.click();
            },
        },
        {
            content: "Nothing happened: the work order is still open",
            trigger: "button.o_klusheeren_done",
            run() {
                if (document.querySelector(".o_klusheeren_locked")) {
                    throw new Error("Refusing the confirmation completed the work order");
                }
            },
        },
        {
            content: "Complete, and confirm",
            trigger: "button.o_klusheeren_done",
            run() {
                window.confirm = () => true;
                this.anchor.click();
            },
            expectUnloadPage: true,
        },
        {
            content: "Completed: the page says it can no longer be edited",
            trigger: ".o_klusheeren_locked",
        },
        {
            content: "Nothing of the work order can be edited any more",
            trigger: ".o_klusheeren_contractor_form fieldset:disabled",
            run() {
                const leftovers = [
                    ...document.querySelectorAll(
                        ".o_klusheeren_contractor_form :is(input:not([type='hidden']), textarea, select, button)"
                    ),
                ].filter((el) => !el.matches(":disabled"));
                if (leftovers.length) {
                    throw new Error(`Still editable: ${leftovers.map((el) => el.name || el.id).join(", ")}`);
                }
                for (const selector of [
                    ".o_klusheeren_actions",
                    ".o_klusheeren_save",
                    ".o_klusheeren_done",
                    ".o_klusheeren_hold_open",
                    ".o_klusheeren_resume",
                ]) {
                    if (document.querySelector(selector)) {
                        throw new Error(`${selector} is still on the completed work order`);
                    }
                }
            },
        },
        {
            content: "The values of the contractor are still shown",
            trigger: "#kh_remarks:disabled:value(Opgelost, compressor vervangen)",
        },
    ],
});

// 3. The reporter answers on a resolved ticket through the portal chatter: the ticket reopens.
registry.category("web_tour.tours").add("klusheeren_portal_reopen_phone", {
    steps: () => [
        {
            content: "The reporter's page shows the ticket as resolved, and how to reopen it",
            trigger: ".o_klusheeren_ticket_status .alert-info",
        },
        {
            content: "The page's comment form lets the reporter write, with the token of the link",
            trigger: ".o_klusheeren_comment_form textarea#kh_comment_body",
            run: "edit Het lekt alweer, er staat weer water onder de koelkast.",
        },
        {
            content: "Send (a plain form post)",
            trigger: ".o_klusheeren_comment_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says the comment is added and the report active again",
            trigger: ".o_klusheeren_comment_sent",
        },
        {
            content: "The message is shown in the messages",
            trigger: ".o_klusheeren_message_body:contains(Het lekt alweer)",
        },
        {
            content: "The report is active again: no longer resolved",
            trigger: ".o_klusheeren_ticket_status:not(:has(.alert-info)) .o_klusheeren_progress li.o_current",
        },
    ],
});

// 4. A customer company's user asks for help from the company portal's own request form (seed 003).
registry.category("web_tour.tours").add("klusheeren_portal_request_phone", {
    steps: () => [
        {
            content: "The request form offers the user's own sites",
            trigger: ".o_klusheeren_request_form select#kh_site:has(option:contains(Demo locatie 1))",
        },
        {
            content: "Choose the site",
            trigger: ".o_klusheeren_request_form select#kh_site",
            run: "selectByLabel Demo locatie 1",
        },
        {
            content: "and, optionally, its equipment",
            trigger: ".o_klusheeren_request_form select#kh_equipment",
            run: "selectByLabel Koelkast 2.21",
        },
        {
            content: "Sending without a subject: the browser refuses it",
            trigger: ".o_klusheeren_request_form button[type='submit']",
            run: "click",
        },
        {
            content: "the subject is required",
            trigger: ".o_klusheeren_request_form input#kh_subject:invalid",
        },
        {
            content: "Subject",
            trigger: "input#kh_subject",
            run: "edit Koelkast lekt",
        },
        {
            content: "Description",
            trigger: "textarea#kh_description",
            run: "edit Er ligt water onder de koelkast in kantoor 2.21.",
        },
        {
            content: "Two photos",
            trigger: ".o_klusheeren_request_form input[name='attachment']",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(pngFile("water.png"));
                transfer.items.add(pngFile("koelkast.png"));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
                if (this.anchor.files.length !== 2) {
                    throw new Error("The photos were not attached");
                }
            },
        },
        {
            content: "Shared with the company by default",
            trigger: ".o_klusheeren_share input#kh_share_company:checked",
        },
        {
            content: "Only me",
            trigger: ".o_klusheeren_share input#kh_share_me",
            run: "click",
        },
        {
            content: "Send the request",
            trigger: ".o_klusheeren_request_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request's page, with its status",
            trigger: ".o_klusheeren_ticket_status .o_klusheeren_progress li.o_current",
        },
        {
            content: "and what was typed",
            trigger: "#card_body:contains(Er ligt water onder de koelkast)",
        },
    ],
});
