# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Equipment Stickers",
    "summary": "QR stickers on maintenance equipment: site, exact location, contractor and sticker sheets",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ['maintenance'],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
