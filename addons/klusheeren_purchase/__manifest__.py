# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Purchase Orders from Exports",
    "summary": "One purchase order per contractor from a finance export batch: the contractor's "
    "invoice is matched the standard Odoo way",
    "version": "19.0.1.0.1",
    "category": "Inventory/Purchase",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_finance", "purchase"],
    "data": [
        "security/klusheeren_purchase_security.xml",
        "data/product_data.xml",
        "views/klusheeren_finance_export_views.xml",
        "views/purchase_order_views.xml",
    ],
    "demo": ["demo/klusheeren_purchase_demo.xml"],
    "installable": True,
}
