# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One click from the e-mail (issue 25): the "Accept" and "Refuse…" buttons of the work order
e-mail and its reminders. Each button is a link for one order and one action, signed with the
database secret over the order, the action, the contractor's current token and the order's
state: it stops working when the action is done, the order moves on or the token rotates. The
link opens a confirmation page (GET changes nothing: mail scanners open links); its POST acts
through the order's own transitions."""

from odoo import api, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

MAIL_ACTIONS = ("accept", "refuse")
SIGNATURE_SCOPE = "klusheeren.work.order.mail_action"
SIGNATURE_MAX = 128
# the only state an e-mail button acts in: a sent order, not yet accepted or refused
ACTION_STATE = "sent"


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"

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
        return f"{order.get_base_url()}/my/work-orders/{order.id}/mail/{action}?signature={order._klusheeren_action_signature(action)}"

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
