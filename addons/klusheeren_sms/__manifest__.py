# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren SMS gateway",
    "summary": "Send Odoo's SMS through a configurable HTTP gateway (MessageBird REST format) "
    "instead of Odoo's IAP service; retries, e-mail fallback",
    "version": "19.0.1.1.0",
    "category": "Hidden/Tools",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["sms", "klusheeren_base"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/sms_sms_views.xml",
    ],
    "installable": True,
}
