# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Service Levels (SLA)",
    "summary": "Deadlines per priority and category on tickets and work orders, counted in working "
    "hours, paused while waiting; warnings, escalations and SLA-met percentages",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_rating", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/klusheeren_sla_security.xml",
        "data/resource_calendar_data.xml",
        "data/klusheeren_sla_policy_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/klusheeren_sla_policy_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/klusheeren_report_views.xml",
        "views/res_partner_views.xml",
        "views/work_order_templates.xml",
    ],
    "demo": ["demo/resource_calendar_leaves_demo.xml"],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
