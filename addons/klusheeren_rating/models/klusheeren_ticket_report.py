from odoo import fields, models
from odoo.tools import SQL


class KlusheerenTicketReport(models.Model):
    """The statistics get the reporter's satisfaction with the main work order and the
    ticket's complaints."""

    _inherit = "klusheeren.ticket.report"

    satisfaction = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(3, 2),
        help="The reporter's average score (1-5) of the work order, when rated.",
    )
    solved_rate = fields.Float(
        string="Solved (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share of the rated work orders the reporter called solved.",
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")

    def _select(self):
        return SQL(
            """%s,
                CASE WHEN r.state = 'rated' THEN r.score END AS satisfaction,
                CASE WHEN r.state = 'rated' THEN CASE WHEN r.solved THEN 100.0 ELSE 0.0 END END AS solved_rate,
                COALESCE(c.complaint_count, 0) AS complaint_count""",
            super()._select(),
        )

    def _from(self):
        return SQL(
            """%s
                LEFT JOIN klusheeren_rating r ON r.work_order_id = wo.id
                LEFT JOIN (
                    SELECT ticket_id, COUNT(*) AS complaint_count
                      FROM klusheeren_complaint
                  GROUP BY ticket_id
                ) c ON c.ticket_id = t.id""",
            super()._from(),
        )
