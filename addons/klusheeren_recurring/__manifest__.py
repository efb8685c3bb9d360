# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Planned Maintenance",
    "summary": "Recurring jobs that create their tickets and work orders ahead of time, "
    "exactly once: calendar, missed occurrences, compliance per contractor and site",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["klusheeren_helpdesk"],
    "external_dependencies": {"python": ["python-dateutil"]},
    "data": [
        "security/klusheeren_recurring_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_data.xml",
        "data/ir_cron_data.xml",
        "report/work_order_report.xml",
        "views/klusheeren_recurring_occurrence_views.xml",
        "views/klusheeren_recurring_job_views.xml",
        "views/klusheeren_work_order_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/klusheeren_recurring_menus.xml",
    ],
    "demo": ["demo/klusheeren_recurring_demo.xml"],
    "installable": True,
}
