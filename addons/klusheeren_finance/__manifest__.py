# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Finance Exports",
    "summary": "Export batches of completed work orders and their lines (XLSX and CSV for "
    "Dutch Excel), each work order exported once; statistics dashboards",
    "version": "19.0.1.1.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_helpdesk", "spreadsheet_dashboard"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/klusheeren_finance_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "wizards/klusheeren_finance_export_reopen_views.xml",
        "views/klusheeren_finance_export_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/klusheeren_finance_menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": ["demo/klusheeren_finance_demo.xml"],
    "installable": True,
}
