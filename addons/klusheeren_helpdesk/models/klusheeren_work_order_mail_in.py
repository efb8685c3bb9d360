# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Replies to the work order e-mails (issue 25), through Odoo's mail gateway (``mail_thread.py``
keeps machines' mail out and applies the upload policy first).

- The contractor's reply (from the address of the contractor or of one of its contacts) is a
  message of the contractor: shown on the contractor's page; the responsible is notified.
- A reply from any other address is an outside message: an internal note for the back office,
  never shown as the contractor's, never on the contractor's page; the responsible is notified.
- The reporter's reply to an e-mail sent from the work order (accepted, appointment, done,
  cancelled) belongs on the ticket (``_klusheeren_reply_ticket``).
- Nothing of the order changes by mail: no values are taken from an e-mail.
"""

from markupsafe import Markup

from odoo import models
from odoo.tools import email_normalize

# set on the incoming message's values by ``message_update``, taken off by ``message_post``
MAIL_IN_KEY = "klusheeren_mail_in"


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"
    _klusheeren_mail_guarded = True

    def _klusheeren_contractor_contacts(self):
        """The contractor company and its contacts (superuser records)."""
        self.ensure_one()
        # sudo: the gateway's user reads no contacts; the addresses are compared only
        company = self.sudo().contractor_id.commercial_partner_id
        if not company:
            return company
        return self.env["res.partner"].sudo().search([("id", "child_of", company.id)])

    def _klusheeren_contractor_sender(self, email_from):
        """The contractor's contact that sent an e-mail from ``email_from``, else empty."""
        sender = email_normalize(email_from or "")
        contacts = self._klusheeren_contractor_contacts()
        if not sender:
            return contacts.browse()
        matching = contacts.filtered(lambda p: p.email_normalized == sender)
        # the company itself first, then the contact made first
        return matching.sorted(lambda p: (p != self.sudo().contractor_id, p.id))[:1]

    def _klusheeren_reply_ticket(self, message_dict):
        """The ticket a reply belongs on instead of this order: the reporter's (not the
        contractor's) reply to the e-mails the order sends the reporter."""
        self.ensure_one()
        order = self.sudo()  # sudo: the addresses are compared only
        email_from = message_dict.get("email_from")
        sender = email_normalize(email_from or "")
        ticket = order.ticket_id
        if not sender or not ticket or self._klusheeren_contractor_sender(email_from):
            return self.env["helpdesk.ticket"]
        reporter = {email_normalize(ticket.partner_id.email or ""), email_normalize(ticket.partner_email or "")}
        return ticket if sender in reporter else self.env["helpdesk.ticket"]

    def message_update(self, msg_dict, update_vals=None):
        """A reply to the work order e-mail: a message, never a change of the order."""
        self.ensure_one()
        contact = self._klusheeren_contractor_sender(msg_dict.get("email_from"))
        if contact:
            msg_dict.update(is_internal=False, author_id=contact.id)
            msg_dict[MAIL_IN_KEY] = "contractor"
        else:
            sender = msg_dict.get("email_from") or ""
            note = self.env._(
                "Message from %(sender)s, which is not an address of the contractor: for the back office only, "
                "not shown to the contractor.",
                sender=sender,
            )
            msg_dict["is_internal"] = True
            msg_dict["body"] = Markup('<p class="o_klusheeren_outside_message"><em>%s</em></p>') % note + Markup(
                msg_dict.get("body") or ""
            )
            msg_dict[MAIL_IN_KEY] = "outside"
        return super().message_update(msg_dict)  # no ``update_vals``: nothing of the order is written

    def message_post(self, **kwargs):
        mail_in = kwargs.pop(MAIL_IN_KEY, None)
        if mail_in:
            # the gateway's post of a reply: the responsible is told, a note as well as a message
            responsible = self.sudo().user_id.partner_id
            kwargs["partner_ids"] = list({*(kwargs.get("partner_ids") or []), *responsible.ids})
            if mail_in == "outside":
                kwargs["subtype_id"] = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        return super().message_post(**kwargs)
