# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Fault Tickets and Work Orders",
    "summary": "Fault tickets on equipment and work orders for external maintenance contractors",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ['helpdesk_mgmt', 'klusheeren_equipment'],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
