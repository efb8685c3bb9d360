# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_ids = fields.One2many(
        "klusheeren.complaint", "ticket_id", string="Complaints", groups="klusheeren_base.group_klusheeren_user"
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups="klusheeren_base.group_klusheeren_user")
    klusheeren_rating_ids = fields.One2many(
        "klusheeren.rating",
        "ticket_id",
        string="Satisfaction scores",
        groups="klusheeren_base.group_klusheeren_user",
    )

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        data = self.env["klusheeren.complaint"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in data}
        for ticket in self:
            ticket.complaint_count = counts.get(ticket.id, 0)

    def _klusheeren_complaint_work_order(self):
        """The work order a complaint about this ticket concerns: the last one that was
        carried out or at least sent to a contractor. (On the superuser ticket of the filing,
        ``klusheeren.complaint._klusheeren_file``.)"""
        self.ensure_one()
        orders = self.work_order_ids.sorted("id", reverse=True)
        for states in (("done",), ("accepted", "on_hold"), ("sent", "refused")):
            found = orders.filtered(lambda o, s=states: o.state in s)
            if found:
                return found[0]
        return orders[:1]

    def _klusheeren_open_rating(self):
        """The reporter's score still open for (re)scoring on this ticket, if any. (On the
        superuser ticket of the ticket page's door, ``_klusheeren_from_login_or_token``.)"""
        self.ensure_one()
        if self.stage_id.closed:
            return self.env["klusheeren.rating"]
        return self.klusheeren_rating_ids.sorted("id", reverse=True)[:1]

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_rating.action_klusheeren_complaint")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
