# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The work order by e-mail (issue 25).

One click from the e-mail: the "Accept" and "Refuse…" buttons of the work order
e-mail and its reminders. Each button is a link for one order and one action, signed with the
database secret over the order, the action, the contractor's current token and the order's
state: it stops working when the action is done, the order moves on or the token rotates. The
link opens a confirmation page (GET changes nothing: mail scanners open links); its POST acts
through the order's own transitions.

Replies to the work order e-mails, through Odoo's mail gateway (``mail_thread.py``
keeps machines' mail out and applies the upload policy first).

- The contractor's reply (from the address of the contractor or of one of its contacts) is a
  message of the contractor: shown on the contractor's page; the responsible is notified.
- A reply from any other address is an outside message: an internal note for the back office,
  never shown as the contractor's, never on the contractor's page; the responsible is notified.
  A back-office user's reply (to a notification) is a plain internal note.
- The reporter's reply to an e-mail sent from the work order (accepted, appointment, done,
  cancelled) belongs on the ticket (``_klusheeren_reply_ticket``).
- Nothing of the order changes by mail: no values are taken from an e-mail.
"""

from markupsafe import Markup

from odoo import api, models
from odoo.tools import consteq, email_normalize
from odoo.tools.misc import hmac

MAIL_ACTIONS = ("accept", "refuse")
SIGNATURE_SCOPE = "klusheeren.work.order.mail_action"
SIGNATURE_MAX = 128
# the only state an e-mail button acts in: a sent order, not yet accepted or refused
ACTION_STATE = "sent"
# set on the incoming message's values by ``message_update``, taken off by ``message_post``
MAIL_IN_KEY = "klusheeren_mail_in"


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"  # pylint: disable=consider-merging-classes-inherited
    _klusheeren_mail_guarded = True

    # ------------------------------------------------------------------
    # The "Accept" and "Refuse…" buttons
    # ------------------------------------------------------------------
    def _klusheeren_action_signature(self, action):
        """The signature of this order's link for ``action``, for its token and state now."""
        self.ensure_one()
        # sudo: the token is internal-only; the signature is made and compared by server code
        order = self.sudo()
        return hmac(order.env, SIGNATURE_SCOPE, (order.id, action, order.access_token or "", order.state))

    def _klusheeren_action_url(self, action):
        """The absolute link of an e-mail button (templates of the work order e-mails)."""
        self.ensure_one()
        if action not in MAIL_ACTIONS:
            raise ValueError(action)
        order = self.sudo()  # sudo: reads the token for the signature only; the link never holds it
        order._portal_ensure_token()
        signature = order._klusheeren_action_signature(action)
        return f"{order.get_base_url()}/my/work-orders/{order.id}/mail/{action}?signature={signature}"

    @api.model
    def _klusheeren_from_action_link(self, order_id, action, signature):
        """The order (superuser record) that an e-mail button opens, or an empty recordset:
        an unknown order, action or signature, a forged one, one of an older token or state
        (the action done, the order moved on, the token rotated) open nothing, alike.
        Never raises on junk input."""
        empty = self.browse()
        if action not in MAIL_ACTIONS or not isinstance(signature, str) or not 0 < len(signature) <= SIGNATURE_MAX:
            return empty
        if isinstance(order_id, bool) or not isinstance(order_id, int) or not 0 < order_id < 2**31:
            return empty
        # sudo: the order is found by its number and judged by the signature below, the link's only key
        order = self.sudo().browse(order_id).exists()
        if not order or order.state != ACTION_STATE or not order.access_token:
            return empty
        if not consteq(order._klusheeren_action_signature(action), signature):
            return empty
        return order

    @api.model
    def _klusheeren_mail_action(self, order_id, action, signature, reason=None):
        """Do what an e-mail button asks, through the order's transitions, after checking the link
        again (``_klusheeren_from_action_link``). Returns the order, or an empty recordset when
        the link opens nothing; a refusal without a reason raises ``UserError`` (nothing done)."""
        order = self._klusheeren_from_action_link(order_id, action, signature)
        if not order:
            return order
        # the transitions accept the superuser record the check above handed over
        if action == "accept":
            order.action_accept()
        else:
            order.action_refuse(reason)
        return order

    # ------------------------------------------------------------------
    # Replies by e-mail
    # ------------------------------------------------------------------
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

    def _klusheeren_back_office_author(self, author_id):
        """Whether the gateway found the sender to be an internal user's contact."""
        if not author_id:
            return False
        # sudo: the author's users are read for this check only
        author = self.env["res.partner"].sudo().browse(author_id).exists()
        return any(not user.share for user in author.user_ids)

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
        elif self._klusheeren_back_office_author(msg_dict.get("author_id")):
            # a colleague answering a notification by e-mail: a note, as in the backend
            msg_dict["is_internal"] = True
            msg_dict[MAIL_IN_KEY] = "outside"
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
