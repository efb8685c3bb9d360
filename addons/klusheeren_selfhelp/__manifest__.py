# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Self-help",
    "summary": "Self-help articles per equipment category on the QR form and in the company portal; "
    "a fault solved by an article is counted as a deflection instead of a ticket",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    # document_page (OCA knowledge): the articles are its pages, with their history and chatter
    "depends": ["klusheeren_portal", "document_page"],
    "data": [
        "security/klusheeren_selfhelp_security.xml",
        "security/ir.model.access.csv",
        "data/document_page_data.xml",
        "views/document_page_views.xml",
        "views/klusheeren_selfhelp_deflection_views.xml",
        "views/maintenance_equipment_category_views.xml",
        "views/klusheeren_selfhelp_menus.xml",
        "views/qr_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/klusheeren_selfhelp_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "klusheeren_selfhelp/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
}
