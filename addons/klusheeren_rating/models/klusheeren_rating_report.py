# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools


class KlusheerenRatingReport(models.Model):
    """Contractor and site statistics, one row per work order sent to a contractor.

    Averages are averages over the rows that have a value: a criterion is empty (NULL) until
    the reporter rated, a duration until the work order was accepted / done. So grouping the
    pivot by contractor or by site gives, per group: the average score per criterion, the
    share of rated work orders the reporter called solved, the number of complaints, and the
    average hours from sending to accepting and from sending to completing.
    """

    _name = "klusheeren.rating.report"
    _description = "Contractor Statistics"
    _auto = False
    _order = "date_sent desc"
    _rec_name = "work_order_id"

    work_order_id = fields.Many2one("klusheeren.work.order", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    contractor_id = fields.Many2one("res.partner", readonly=True)
    site_id = fields.Many2one("res.partner", readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("on_hold", "Parts on order"),
            ("done", "Done"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    date_sent = fields.Datetime(string="Sent on", readonly=True)
    work_order_count = fields.Integer(string="Work orders", readonly=True, aggregator="sum")
    rated_count = fields.Integer(string="Rated", readonly=True, aggregator="sum")
    speed = fields.Float(readonly=True, aggregator="avg", digits=(3, 2))
    communication = fields.Float(readonly=True, aggregator="avg", digits=(3, 2))
    quality = fields.Float(string="Quality of the solution", readonly=True, aggregator="avg", digits=(3, 2))
    score = fields.Float(string="Average score", readonly=True, aggregator="avg", digits=(3, 2))
    solved_rate = fields.Float(
        string="Solved (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share of the rated work orders the reporter called solved.",
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    hours_to_accept = fields.Float(
        string="Hours to accept",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From sending the work order to the contractor's acceptance.",
    )
    hours_to_complete = fields.Float(
        string="Hours to complete",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From sending the work order to its completion (Afmelden).",
    )

    def _query(self):
        return """
            SELECT
                wo.id AS id,
                wo.id AS work_order_id,
                wo.ticket_id,
                wo.contractor_id,
                wo.site_id,
                wo.equipment_id,
                wo.company_id,
                wo.state,
                wo.date_sent,
                1 AS work_order_count,
                CASE WHEN r.state = 'rated' THEN 1 ELSE 0 END AS rated_count,
                CASE WHEN r.state = 'rated' THEN r.speed::float END AS speed,
                CASE WHEN r.state = 'rated' THEN r.communication::float END AS communication,
                CASE WHEN r.state = 'rated' THEN r.quality::float END AS quality,
                CASE WHEN r.state = 'rated' THEN r.score END AS score,
                CASE WHEN r.state = 'rated' THEN
                    CASE WHEN r.solved THEN 100.0 ELSE 0.0 END
                END AS solved_rate,
                COALESCE(c.complaint_count, 0) AS complaint_count,
                CASE WHEN wo.date_accepted IS NOT NULL AND wo.date_sent IS NOT NULL THEN
                    EXTRACT(EPOCH FROM (wo.date_accepted - wo.date_sent)) / 3600.0
                END AS hours_to_accept,
                CASE WHEN wo.date_done IS NOT NULL AND wo.date_sent IS NOT NULL THEN
                    EXTRACT(EPOCH FROM (wo.date_done - wo.date_sent)) / 3600.0
                END AS hours_to_complete
            FROM klusheeren_work_order wo
            LEFT JOIN klusheeren_rating r ON r.work_order_id = wo.id
            LEFT JOIN (
                SELECT work_order_id, COUNT(*) AS complaint_count
                  FROM klusheeren_complaint
                 WHERE work_order_id IS NOT NULL
              GROUP BY work_order_id
            ) c ON c.work_order_id = wo.id
            WHERE wo.date_sent IS NOT NULL
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")
