from odoo import api, fields, models
from odoo.exceptions import UserError

from .klusheeren_visit import OPEN_ORDER_STATES
from .res_partner import CHANNELS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _klusheeren_report_check_channel(self, report, errors):
        """The report form also asks the preferred channel (e-mail, SMS or both): SMS needs a
        mobile number. An unknown channel is no choice."""
        channel = report.get("notify_channel")
        super()._klusheeren_report_check_channel(report, errors)
        if channel not in dict(CHANNELS):
            return
        report["notify_channel"] = channel
        if channel in ("sms", "both"):
            phone = report.get("phone")
            try:
                # sudo: a new, unsaved contact, only to read the number as the SMS will use it
                valid = phone and self.env["res.partner"].sudo().new({})._klusheeren_normalize_phone(phone)
            except UserError:
                valid = False
            if not valid:
                errors["phone"] = self.env._("Give a valid mobile phone number to receive SMS.")

    @api.model
    def _klusheeren_report_partner(self, report):
        """The channel chosen on the report form is set on a contact that has none yet: typing
        someone else's address never changes theirs."""
        partner = super()._klusheeren_report_partner(report)
        channel = report.get("notify_channel")
        if channel in dict(CHANNELS) and not partner.klusheeren_notify_channel:
            # sudo: only on a contact without a channel (the report's own, or one never asked)
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
