# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Visit check-in",
    "summary": "Appointment reminders by the contact's preferred channel (e-mail, SMS, both) and the "
    "pre-visit page: confirm or ask another time, contact details, remarks with photos, "
    "planned and optional services with prices incl. VAT",
    "version": "19.0.1.1.1",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_portal", "klusheeren_sms"],
    "data": [
        "security/klusheeren_visit_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/klusheeren_visit_views.xml",
        "views/klusheeren_visit_option_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/klusheeren_visit_menus.xml",
        "views/visit_templates.xml",
        "views/reporter_templates.xml",
        "views/qr_report_templates.xml",
        "views/work_order_templates.xml",
        "report/work_order_report.xml",
    ],
    "demo": ["demo/klusheeren_visit_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "klusheeren_visit/static/src/scss/klusheeren_visit.scss",
        ],
        "web.assets_tests": [
            "klusheeren_visit/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
}
