# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: stage e-mails to the reporter. The stages are noupdate data: "New" becomes
internal (the reporter's confirmation says it), and "Closed" sends KlusHeeren's stage e-mail
instead of helpdesk_mgmt's (which helpdesk_mgmt sent through tracking, in any language)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new", raise_if_not_found=False)
    if new:
        new.klusheeren_internal = True
    closed = env.ref("klusheeren_helpdesk.stage_closed", raise_if_not_found=False)
    template = env.ref("helpdesk_mgmt.closed_ticket_template", raise_if_not_found=False)
    if closed and template and closed.mail_template_id == template:
        closed.mail_template_id = False
