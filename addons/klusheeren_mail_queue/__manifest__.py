# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Mail Queue",
    "summary": "Queued e-mails leave within seconds; a mail server outage delays them, never loses them",
    "version": "19.0.1.2.0",
    "category": "Hidden/Tools",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["mail", "klusheeren_base"],
    "data": ["data/ir_cron_data.xml"],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
