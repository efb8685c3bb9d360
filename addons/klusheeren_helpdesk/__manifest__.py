# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Fault Tickets and Work Orders",
    "summary": "Fault tickets on equipment and work orders for external "
    "maintenance contractors: e-mails with PDF, reminders, auto-close, statistics",
    "version": "19.0.1.2.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["helpdesk_mgmt", "klusheeren_equipment", "product", "uom"],
    "data": [
        "security/klusheeren_helpdesk_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/helpdesk_data.xml",
        "data/ir_config_parameter_data.xml",
        "report/work_order_report.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "wizards/klusheeren_work_order_reason_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/klusheeren_ticket_report_views.xml",
        "views/klusheeren_helpdesk_menus.xml",
    ],
    "demo": ["demo/klusheeren_helpdesk_demo.xml"],
    "installable": True,
}
