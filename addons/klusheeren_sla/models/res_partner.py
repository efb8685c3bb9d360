from odoo import fields, models


class ResPartner(models.Model):
    """The contractor's scorecard gets the share of its work orders that met their deadlines."""

    _inherit = "res.partner"

    klusheeren_sla_met_rate = fields.Float(
        string="SLA met (%)",
        compute="_compute_klusheeren_sla_scorecard",
        digits=(5, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_sla_accept_rate = fields.Float(
        string="Accepted in time (%)",
        compute="_compute_klusheeren_sla_scorecard",
        digits=(5, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_sla_done_rate = fields.Float(
        string="Done in time (%)",
        compute="_compute_klusheeren_sla_scorecard",
        digits=(5, 1),
        groups="klusheeren_base.group_klusheeren_user",
    )

    def _compute_klusheeren_sla_scorecard(self):
        names = {
            "klusheeren_sla_met_rate": "sla_met_rate",
            "klusheeren_sla_accept_rate": "sla_accept_rate",
            "klusheeren_sla_done_rate": "sla_done_rate",
        }
        # sudo: the figures of the partners the caller reads (the fields are back office only)
        data = (
            self.env["klusheeren.rating.report"]
            .sudo()
            ._read_group([("contractor_id", "in", self.ids)], ["contractor_id"], [f"{c}:avg" for c in names.values()])
        )
        by_partner = {row[0].id: row[1:] for row in data}
        for partner in self:
            values = by_partner.get(partner.id)
            for index, name in enumerate(names):
                partner[name] = (values[index] or 0.0) if values else 0.0
