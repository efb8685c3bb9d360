# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class KlusheerenWorkOrder(models.Model):
    """The work order is what the reporter rates: it is one contractor's job, so its score
    judges that contractor (a ticket may have several work orders, e.g. after a refusal)."""

    _name = "klusheeren.work.order"
    _inherit = ["rating.mixin", "klusheeren.work.order"]

    klusheeren_rating_ids = fields.One2many("klusheeren.rating", "work_order_id", string="Satisfaction scores")
    klusheeren_rating_id = fields.Many2one(
        "klusheeren.rating",
        string="Satisfaction score",
        compute="_compute_klusheeren_rating_id",
    )
    klusheeren_rating_state = fields.Selection(
        [("pending", "Waiting for the reporter"), ("rated", "Rated")],
        string="Rating status",
        compute="_compute_klusheeren_rating_id",
    )
    klusheeren_rating_score = fields.Float(string="Average score", compute="_compute_klusheeren_rating_id")
    klusheeren_rating_solved = fields.Boolean(
        string="Solved according to the reporter", compute="_compute_klusheeren_rating_id"
    )
    complaint_ids = fields.One2many("klusheeren.complaint", "work_order_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends(
        "klusheeren_rating_ids.state",
        "klusheeren_rating_ids.score",
        "klusheeren_rating_ids.solved",
    )
    def _compute_klusheeren_rating_id(self):
        for order in self:
            rating = order.klusheeren_rating_ids[:1]
            order.klusheeren_rating_id = rating
            order.klusheeren_rating_state = rating.state
            order.klusheeren_rating_score = rating.score
            order.klusheeren_rating_solved = rating.solved

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        data = self.env["klusheeren.complaint"]._read_group(
            [("work_order_id", "in", self.ids)], ["work_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in data}
        for order in self:
            order.complaint_count = counts.get(order.id, 0)

    # rating.mixin configuration: the reporter rates the contractor.
    def _rating_get_partner(self):
        return self.ticket_id.partner_id

    def _rating_get_operator(self):
        return self.contractor_id

    def _rating_get_parent_field_name(self):
        return "ticket_id"

    def action_done(self):
        res = super().action_done()
        self._klusheeren_request_rating()
        return res

    def _klusheeren_notify_done(self):
        # The "work completed" e-mail is replaced by ours, which also asks for the rating.
        if not self.env.context.get("klusheeren_rating_off"):
            return False
        return super()._klusheeren_notify_done()

    def _klusheeren_request_rating(self):
        """One score per work order: created on the first completion, asked again (same link)
        when a reopened work order is completed again."""
        # sudo: ratings are the system's (nobody makes one by hand); action_done checked its caller
        orders = self.sudo()
        Rating = orders.env["klusheeren.rating"]
        for order in orders:
            rating = order.klusheeren_rating_ids[:1]
            if not rating:
                rating = Rating.create({"work_order_id": order.id, "partner_id": order.ticket_id.partner_id.id})
            rating._klusheeren_send_request()
        return True

    def action_view_klusheeren_rating(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.rating",
            "res_id": self.klusheeren_rating_id.id,
            "views": [(False, "form")],
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_rating.action_klusheeren_complaint")
        action["domain"] = [("work_order_id", "=", self.id)]
        action["context"] = {
            "default_work_order_id": self.id,
            "default_ticket_id": self.ticket_id.id,
        }
        return action
