from odoo import api, fields, models

from .klusheeren_visit import OPEN_ORDER_STATES
from .res_partner import CHANNELS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _klusheeren_find_or_create_partner(self, name, email, phone=None):
        """The channel chosen on the report form (context ``klusheeren_notify_channel``) is set
        on a contact that has none yet: typing someone else's address never changes theirs."""
        partner = super()._klusheeren_find_or_create_partner(name, email, phone)
        channel = self.env.context.get("klusheeren_notify_channel")
        if channel in dict(CHANNELS) and not partner.klusheeren_notify_channel:
            partner.sudo().klusheeren_notify_channel = channel
        return partner

    def _klusheeren_reporter_visit(self):
        """The pre-visit page the reporter's page links to: the visit of an open work order of this
        ticket whose appointment is still ahead and whose contact is the ticket's (the reporter).
        Called on the superuser record handed over after the token check."""
        self.ensure_one()
        return self.env["klusheeren.visit"].search(
            [
                ("ticket_id", "=", self.id),
                ("partner_id", "=", self.partner_id.id),
                ("work_order_id.state", "in", OPEN_ORDER_STATES),
                ("appointment_date", ">", fields.Datetime.now()),
            ],
            order="appointment_date",
            limit=1,
        )
