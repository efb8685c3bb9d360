# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Portal",
    "summary": "QR fault report form, contractor work order page, reporter page and company ticket portal",
    "version": "19.0.1.4.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_helpdesk", "website"],
    "data": [
        "security/klusheeren_portal_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/privacy_templates.xml",
        "views/qr_report_templates.xml",
        "views/work_order_templates.xml",
        "views/ticket_templates.xml",
        "views/res_config_settings_views.xml",
        "views/website_templates.xml",
        "views/light_templates.xml",
        "views/reporter_templates.xml",
        "views/mail_action_templates.xml",
        "views/metoo_templates.xml",
    ],
    "demo": ["demo/klusheeren_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "klusheeren_portal/static/src/scss/klusheeren_portal.scss",
        ],
        "web.assets_tests": [
            "klusheeren_portal/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
}
