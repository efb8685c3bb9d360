# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


# a file of its own while issue 23 splits the addon's models (the lead may fold it in)
class ResPartner(models.Model):
    """The scorecard's first-time fix rate (issue 24)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    klusheeren_first_time_fix_rate = fields.Float(
        string="First-time fix (%)",
        compute="_compute_klusheeren_first_time_fix_rate",
        digits=(5, 1),
        groups="klusheeren_base.group_klusheeren_user",
        help="Completed work orders with no recall within the recall period, divided by the completed "
        "work orders (best in class: 88 %).",
    )

    def _compute_klusheeren_first_time_fix_rate(self):
        # sudo: the statistics of the contractors the back office reads
        data = (
            self.env["klusheeren.rating.report"]
            .sudo()
            ._read_group([("contractor_id", "in", self.ids)], ["contractor_id"], ["first_time_fix_rate:avg"])
        )
        rates = {partner.id: rate for partner, rate in data}
        for partner in self:
            partner.klusheeren_first_time_fix_rate = rates.get(partner.id) or 0.0
