from odoo import models

from .klusheeren_sla_rate_mixin import RATE


class KlusheerenRatingReport(models.Model):
    """The contractor statistics get the share of work orders whose deadlines were met."""

    _name = "klusheeren.rating.report"
    _inherit = ["klusheeren.rating.report", "klusheeren.sla.rate.mixin"]

    def _query(self):
        return f"""
            SELECT base.*,
                   sla.met_rate AS sla_met_rate,
                   {RATE.format(c="sla_a")} AS sla_accept_rate,
                   {RATE.format(c="sla_c")} AS sla_contact_rate,
                   {RATE.format(c="sla_d")} AS sla_done_rate
              FROM ({super()._query()}) base
              LEFT JOIN LATERAL (
                    SELECT CASE WHEN bool_or(c.state IN ('missed', 'late')) THEN 0.0 ELSE 100.0 END AS met_rate
                      FROM klusheeren_sla_clock c
                     WHERE c.work_order_id = base.work_order_id AND c.state IN ('met', 'missed', 'late')
                    HAVING COUNT(*) > 0
              ) sla ON TRUE
              LEFT JOIN klusheeren_sla_clock sla_a
                     ON sla_a.work_order_id = base.work_order_id AND sla_a.kind = 'accept'
              LEFT JOIN klusheeren_sla_clock sla_c
                     ON sla_c.work_order_id = base.work_order_id AND sla_c.kind = 'contact'
              LEFT JOIN klusheeren_sla_clock sla_d
                     ON sla_d.work_order_id = base.work_order_id AND sla_d.kind = 'done'
        """
