# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets by e-mail (issue 25): a mail to a helpdesk team's alias makes a ticket (helpdesk_mgmt),
routed by the responsibility rules like any new ticket (``create``): the sender's company is the
customer; a sticker code or an equipment's serial number in the subject or the body links the
equipment (and so its site and contractor). An unknown sender gets a ticket with a contact of its
own (``_klusheeren_find_or_create_partner``): the mail never binds the ticket to an existing contact,
nor makes the contacts it names in To or Cc followers. ``mail_thread.py`` keeps machines' mail
out and applies the upload policy to the files."""

import re
from email.utils import getaddresses

from odoo import api, models
from odoo.tools import email_normalize, html2plaintext

from odoo.addons.klusheeren_base.tools.boundary import one_line

STICKER_CODE = re.compile(r"\bKH-S-\d{3,12}\b", re.IGNORECASE)
# a serial number as people write one: letters, digits and a few separators, with a digit
SERIAL_WORD = re.compile(r"(?<![\w./-])[A-Za-z0-9][A-Za-z0-9./_-]{2,38}[A-Za-z0-9](?![\w/-])")
TEXT_MAX = 20_000  # of the subject and body looked at
WORDS_MAX = 500
NAME_MAX = 100


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited
    _klusheeren_mail_guarded = True

    @api.model
    def _klusheeren_equipment_from_mail(self, msg_dict):
        """The one piece of equipment a mail names by its sticker code or serial number, else
        an empty recordset (none, or more than one)."""
        text = f"{msg_dict.get('subject') or ''}\n{html2plaintext(msg_dict.get('body') or '')}"[:TEXT_MAX]
        # sudo: the gateway's user reads no stickers nor equipment; a code links the ticket only
        Equipment = self.env["maintenance.equipment"].sudo()
        codes = {code.upper() for code in STICKER_CODE.findall(text)}
        if codes:
            stickers = self.env["klusheeren.sticker"].sudo().search([("name", "in", sorted(codes)[:WORDS_MAX])])
            equipment = stickers.filtered(lambda s: s.state == "bound").equipment_id
            if equipment:
                return equipment if len(equipment) == 1 else Equipment
        words = {word for word in SERIAL_WORD.findall(text) if any(ch.isdigit() for ch in word)}
        if not words:
            return Equipment
        equipment = Equipment.search([("serial_no", "in", sorted(words)[:WORDS_MAX])], limit=2)
        return equipment if len(equipment) == 1 else Equipment

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        custom_values = dict(custom_values or {})
        if not custom_values.get("equipment_id"):
            equipment = self._klusheeren_equipment_from_mail(msg_dict)
            if equipment:
                custom_values["equipment_id"] = equipment.id
        if not msg_dict.get("author_id"):
            # an unknown sender: a contact of its own, named as the mail names it
            name, address = (getaddresses([msg_dict.get("email_from") or ""]) or [("", "")])[0]
            email = email_normalize(address)
            if email:
                custom_values.setdefault("partner_email", email)
                if name.strip():
                    custom_values.setdefault("partner_name", one_line(name)[:NAME_MAX])
            # nobody the mail names in To or Cc becomes a follower (helpdesk_mgmt would subscribe them)
            msg_dict = dict(msg_dict, to="", cc="")
        return super().message_new(msg_dict, custom_values=custom_values)

    def message_update(self, msg_dict, update_vals=None):
        if not msg_dict.get("author_id"):
            # an unknown sender names nobody who then follows the ticket (helpdesk_mgmt's To/Cc)
            msg_dict = dict(msg_dict, to="", cc="")
        return super().message_update(msg_dict, update_vals=update_vals)
