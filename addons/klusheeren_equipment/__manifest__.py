# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Equipment Stickers",
    "summary": "QR stickers on maintenance equipment: site, exact location, "
    "contractor, registration by scanning and sticker sheets",
    "version": "19.0.1.2.0",
    "category": "Supply Chain/Maintenance",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["maintenance", "klusheeren_base"],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "security/klusheeren_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "report/report_paperformat.xml",
        "report/report_sticker_sheet.xml",
        "views/klusheeren_sticker_views.xml",
        "views/klusheeren_sticker_batch_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/maintenance_equipment_category_views.xml",
        "views/res_partner_views.xml",
        "views/klusheeren_menus.xml",
        "views/light_templates.xml",
        "views/qr_templates.xml",
    ],
    "demo": [
        "demo/klusheeren_equipment_demo.xml",
    ],
    "installable": True,
}
