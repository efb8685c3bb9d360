# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Rating and Complaints",
    "summary": "Reporter satisfaction scores (speed, communication, quality, solved), "
    "complaints with the contractor's feedback page, contractor scorecards",
    "version": "19.0.1.3.1",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_portal", "rating"],
    "data": [
        "security/klusheeren_rating_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "views/klusheeren_rating_views.xml",
        "views/klusheeren_complaint_views.xml",
        "views/klusheeren_rating_report_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/klusheeren_ticket_report_views.xml",
        "views/klusheeren_recall_views.xml",
        "views/klusheeren_rating_menus.xml",
        "views/reporter_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/klusheeren_rating_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "klusheeren_rating/static/src/scss/klusheeren_rating.scss",
        ],
        "web.assets_tests": [
            "klusheeren_rating/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
}
