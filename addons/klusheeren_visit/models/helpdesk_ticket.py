from odoo import api, models

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
