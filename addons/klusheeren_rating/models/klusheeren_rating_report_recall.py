# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class KlusheerenRatingReport(models.Model):
    """The scorecards' first-time fix (issue 24): of a contractor's completed work orders, the
    share whose fault did not come back within the recall period (klusheeren_helpdesk's repeat
    failures); per contractor, site and equipment category."""

    _inherit = "klusheeren.rating.report"

    equipment_category_id = fields.Many2one(
        "maintenance.equipment.category", string="Equipment category", readonly=True
    )
    first_time_fix_rate = fields.Float(
        string="First-time fix (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Completed work orders with no recall within the recall period, divided by the completed "
        "work orders (best in class: 88 %).",
    )

    def _query(self):
        return f"""
            SELECT base.*,
                   eq.category_id AS equipment_category_id,
                   CASE WHEN base.state = 'done' THEN
                       CASE WHEN EXISTS (
                           SELECT 1 FROM helpdesk_ticket rt WHERE rt.klusheeren_repeat_of_id = base.work_order_id
                       ) THEN 0.0 ELSE 100.0 END
                   END::float8 AS first_time_fix_rate
              FROM ({super()._query()}) base
              LEFT JOIN maintenance_equipment eq ON eq.id = base.equipment_id
        """
