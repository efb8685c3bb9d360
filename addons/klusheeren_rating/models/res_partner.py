# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

SCORECARD_FIELDS = {
    "klusheeren_score_speed": "speed",
    "klusheeren_score_communication": "communication",
    "klusheeren_score_quality": "quality",
    "klusheeren_score_avg": "score",
    "klusheeren_solved_rate": "solved_rate",
    "klusheeren_hours_to_accept": "hours_to_accept",
    "klusheeren_hours_to_complete": "hours_to_complete",
}


class ResPartner(models.Model):
    """The contractor's scorecard, from the statistics view."""

    _inherit = "res.partner"

    klusheeren_score_speed = fields.Float(
        string="Speed",
        compute="_compute_klusheeren_scorecard",
        digits=(3, 2),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_score_communication = fields.Float(
        string="Communication",
        compute="_compute_klusheeren_scorecard",
        digits=(3, 2),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_score_quality = fields.Float(
        string="Quality of the solution",
        compute="_compute_klusheeren_scorecard",
        digits=(3, 2),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_score_avg = fields.Float(
        string="Average score",
        compute="_compute_klusheeren_scorecard",
        digits=(3, 2),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_solved_rate = fields.Float(
        string="Solved (%)",
        compute="_compute_klusheeren_scorecard",
        digits=(5, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_hours_to_accept = fields.Float(
        string="Average hours to accept",
        compute="_compute_klusheeren_scorecard",
        digits=(16, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_hours_to_complete = fields.Float(
        string="Average hours to complete",
        compute="_compute_klusheeren_scorecard",
        digits=(16, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_rated_count = fields.Integer(
        string="Rated work orders",
        compute="_compute_klusheeren_scorecard",
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_klusheeren_scorecard",
        groups="klusheeren_base.group_klusheeren_user",
    )

    def _compute_klusheeren_scorecard(self):
        aggregates = [f"{column}:avg" for column in SCORECARD_FIELDS.values()]
        aggregates += ["rated_count:sum", "complaint_count:sum"]
        data = (
            self.env["klusheeren.rating.report"]
            .sudo()  # sudo: sums of the contractor's own ratings, for its form
            ._read_group([("contractor_id", "in", self.ids)], ["contractor_id"], aggregates)
        )
        by_partner = {row[0].id: row[1:] for row in data}
        names = list(SCORECARD_FIELDS) + ["klusheeren_rated_count", "klusheeren_complaint_count"]
        for partner in self:
            values = by_partner.get(partner.id)
            for index, name in enumerate(names):
                partner[name] = (values[index] or 0) if values else 0

    def action_view_klusheeren_scorecard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_rating.action_klusheeren_rating_report")
        action["domain"] = [("contractor_id", "=", self.id)]
        action["context"] = {"search_default_group_by_site": 1}
        action["display_name"] = self.env._("Scorecard of %s", self.display_name)
        return action
