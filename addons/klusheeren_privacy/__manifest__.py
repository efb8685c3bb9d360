# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Privacy (AVG/GDPR)",
    "summary": "Retention and anonymisation of reporters and visit contacts; a person's data "
    "exported in one file and erased on request, both recorded",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    # privacy_lookup (Odoo core): finds where a person appears and keeps the privacy log that
    # records each export and erasure here
    "depends": ["klusheeren_helpdesk", "privacy_lookup"],
    "data": [
        "security/klusheeren_privacy_security.xml",
        "data/ir_cron_data.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
}
