# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class KlusheerenTicketReport(models.Model):
    """First-time fix (issue 24): of the completed main work orders, the share whose fault did
    not come back within the recall period (no repeat report linked to them); and the repeats."""

    _inherit = "klusheeren.ticket.report"

    first_time_fix_rate = fields.Float(
        string="First-time fix (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Completed work orders with no recall within the recall period, divided by the completed "
        "work orders (best in class: 88 %).",
    )
    repeat_count = fields.Integer(
        string="Repeat failures",
        readonly=True,
        aggregator="sum",
        help="Reports on equipment whose last work order had been completed within the recall period.",
    )

    def _select(self):
        return SQL(
            """%s,
                CASE WHEN wo.state = 'done' THEN
                    CASE WHEN EXISTS (SELECT 1 FROM helpdesk_ticket rt WHERE rt.klusheeren_repeat_of_id = wo.id)
                         THEN 0.0 ELSE 100.0 END
                END::float8 AS first_time_fix_rate,
                CASE WHEN t.klusheeren_repeat_of_id IS NOT NULL THEN 1 ELSE 0 END AS repeat_count""",
            super()._select(),
        )
