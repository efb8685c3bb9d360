# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: requests "only for me" from the company portal. The two portal rules on tickets
are noupdate data: their domains leave out what a colleague asked only for themselves."""

from odoo import SUPERUSER_ID, api

DOMAINS = {
    "klusheeren_portal.helpdesk_ticket_rule_portal_company_sites": (
        "[('site_id', 'child_of', [user.commercial_partner_id.id]), '|', "
        "('klusheeren_private', '=', False), ('partner_id', '=', user.partner_id.id)]"
    ),
    "helpdesk_mgmt.helpdesk_ticket_rule_portal": (
        "['&', '|', ('partner_id', 'child_of', [user.commercial_partner_id.id]), "
        "('message_partner_ids', 'child_of', [user.commercial_partner_id.id]), "
        "'|', ('klusheeren_private', '=', False), '|', ('partner_id', '=', user.partner_id.id), "
        "('message_partner_ids', 'in', [user.partner_id.id])]"
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in DOMAINS.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
