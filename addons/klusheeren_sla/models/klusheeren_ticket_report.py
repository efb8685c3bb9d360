from odoo import models
from odoo.tools import SQL

from .klusheeren_sla_rate_mixin import RATE


class KlusheerenTicketReport(models.Model):
    """The statistics get the share of tickets whose service level targets were met: all steps,
    and each step of the main work order and the ticket. Computed at the refresh of the
    materialized view and stored in it, so a pivot over a million tickets reads them as any
    other column (bench/stats.py)."""

    _name = "klusheeren.ticket.report"
    _inherit = ["klusheeren.ticket.report", "klusheeren.sla.rate.mixin"]

    def _select(self):
        return SQL(
            """%s,
                sla.met_rate AS sla_met_rate,
                %s AS sla_accept_rate,
                %s AS sla_contact_rate,
                %s AS sla_done_rate""",
            super()._select(),
            SQL(RATE.format(c="sla_a")),
            SQL(RATE.format(c="sla_c")),
            SQL(RATE.format(c="sla_d")),
        )

    def _from(self):
        return SQL(
            """%s
                LEFT JOIN (
                    SELECT ticket_id,
                           CASE WHEN bool_or(state IN ('missed', 'late')) THEN 0.0 ELSE 100.0 END AS met_rate
                      FROM klusheeren_sla_clock
                     WHERE state IN ('met', 'missed', 'late')
                  GROUP BY ticket_id
                ) sla ON sla.ticket_id = t.id
                LEFT JOIN klusheeren_sla_clock sla_a ON sla_a.work_order_id = wo.id AND sla_a.kind = 'accept'
                LEFT JOIN klusheeren_sla_clock sla_c ON sla_c.work_order_id = wo.id AND sla_c.kind = 'contact'
                LEFT JOIN klusheeren_sla_clock sla_d
                       ON sla_d.ticket_id = t.id AND sla_d.work_order_id IS NULL AND sla_d.kind = 'done'""",
            super()._from(),
        )
