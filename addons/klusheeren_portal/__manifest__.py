# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Portal",
    "summary": "QR fault report form, contractor work order page, reporter page and company ticket portal",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ['klusheeren_helpdesk', 'website'],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
