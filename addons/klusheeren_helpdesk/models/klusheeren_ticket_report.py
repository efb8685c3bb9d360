import logging
import time

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .klusheeren_work_order import STATES

_logger = logging.getLogger(__name__)

# The month of a ticket is its month in the Netherlands (the statistics are KlusHeeren's).
REPORT_TZ = "Europe/Amsterdam"


class KlusheerenTicketReport(models.Model):
    """Statistics: one row per ticket, with its main work order (the newest one that was not
    refused or cancelled, else the newest). A PostgreSQL materialized view, refreshed by the
    job ``klusheeren_helpdesk.ir_cron_ticket_report_refresh`` (and the button of the views),
    so that pivots stay fast at a million tickets (bench/stats.py).

    Averages are over the rows that have a value: a duration is empty (NULL) until its event.
    Addons add columns by extending ``_select()``/``_from()`` and declaring the field
    (klusheeren_rating adds satisfaction and complaints). Hook for the responsibility area
    (``klusheeren.area``, added beside this): declare ``area_id`` and return ``t.area_id`` (or the
    work order's) from ``_select()``; nothing else here depends on it.
    """

    _name = "klusheeren.ticket.report"
    _description = "Ticket Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    work_order_id = fields.Many2one("klusheeren.work.order", string="Work order", readonly=True)
    date = fields.Date(string="Reported on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", string="Channel", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", string="Stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    site_id = fields.Many2one("res.partner", string="Site", readonly=True)
    customer_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", string="Equipment", readonly=True)
    equipment_category_id = fields.Many2one(
        "maintenance.equipment.category", string="Equipment category", readonly=True
    )
    contractor_id = fields.Many2one("res.partner", string="Contractor", readonly=True)
    work_order_state = fields.Selection(STATES, string="Work order status", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    work_order_count = fields.Integer(string="Work orders", readonly=True, aggregator="sum")
    hours_to_accept = fields.Float(
        string="Hours to accept", readonly=True, aggregator="avg", digits=(16, 1),
        help="From sending the work order to the contractor's acceptance.",
    )
    hours_to_appointment = fields.Float(
        string="Hours to appointment", readonly=True, aggregator="avg", digits=(16, 1),
        help="From the report to the contractor's appointment.",
    )
    hours_to_done = fields.Float(
        string="Hours to done", readonly=True, aggregator="avg", digits=(16, 1),
        help="From the report to the completion of the work order.",
    )
    reopen_count = fields.Integer(string="Reopened", readonly=True, aggregator="sum")
    currency_id = fields.Many2one("res.currency", readonly=True)
    cost = fields.Monetary(
        string="Cost excl. VAT", readonly=True, aggregator="sum", currency_field="currency_id",
        help="Total of the ticket's completed work orders.",
    )

    def _select(self):
        return SQL(
            """
                t.id AS id,
                t.id AS ticket_id,
                wo.id AS work_order_id,
                (t.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                t.company_id,
                t.team_id,
                t.channel_id,
                t.stage_id,
                t.user_id,
                t.site_id,
                COALESCE(site_parent.commercial_partner_id, site.commercial_partner_id) AS customer_id,
                t.equipment_id,
                eq.category_id AS equipment_category_id,
                wo.contractor_id,
                wo.state AS work_order_state,
                1 AS ticket_count,
                COALESCE(agg.work_order_count, 0) AS work_order_count,
                EXTRACT(EPOCH FROM (wo.date_accepted - wo.date_sent)) / 3600.0 AS hours_to_accept,
                EXTRACT(EPOCH FROM (wo.appointment_date - t.create_date)) / 3600.0
                    AS hours_to_appointment,
                EXTRACT(EPOCH FROM (wo.date_done - t.create_date)) / 3600.0 AS hours_to_done,
                COALESCE(t.klusheeren_reopen_count, 0) AS reopen_count,
                company.currency_id,
                COALESCE(agg.cost, 0) AS cost
            """,
            tz=REPORT_TZ,
        )

    def _from(self):
        return SQL(
            """
                helpdesk_ticket t
                JOIN res_company company ON company.id = t.company_id
                LEFT JOIN res_partner site ON site.id = t.site_id
                LEFT JOIN res_partner site_parent ON site_parent.id = site.parent_id
                LEFT JOIN maintenance_equipment eq ON eq.id = t.equipment_id
                LEFT JOIN LATERAL (
                    SELECT w.id, w.contractor_id, w.state, w.date_sent, w.date_accepted,
                           w.appointment_date, w.date_done
                      FROM klusheeren_work_order w
                     WHERE w.ticket_id = t.id
                  ORDER BY w.state IN ('refused', 'cancelled'), w.id DESC
                     LIMIT 1
                ) wo ON TRUE
                LEFT JOIN (
                    SELECT ticket_id, COUNT(*) AS work_order_count,
                           SUM(amount_total) FILTER (WHERE state = 'done') AS cost
                      FROM klusheeren_work_order
                  GROUP BY ticket_id
                ) agg ON agg.ticket_id = t.id
            """
        )

    def _query(self):
        return SQL("SELECT %s FROM %s", self._select(), self._from())

    def init(self):
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        table = SQL.identifier(self._table)
        cr.execute(SQL("CREATE MATERIALIZED VIEW %s AS (%s)", table, self._query()))
        # the unique index lets the refresh run CONCURRENTLY (readers are never blocked)
        cr.execute(SQL("CREATE UNIQUE INDEX ON %s (id)", table))
        for column in ("date", "contractor_id", "site_id", "equipment_id", "company_id"):
            cr.execute(SQL("CREATE INDEX ON %s (%s)", table, SQL.identifier(column)))
        cr.execute(SQL("ANALYZE %s", table))

    @api.model
    def action_refresh(self):
        """Recompute the statistics and the equipment's reliability figures now."""
        if not self.env.user.has_group("klusheeren_equipment.group_klusheeren_user"):
            raise AccessError(_("Only the KlusHeeren back office can refresh the statistics."))
        self._klusheeren_refresh()
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _klusheeren_refresh(self):
        start = time.monotonic()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table))
        )
        self.env["maintenance.equipment"]._klusheeren_update_reliability()
        self.env.invalidate_all()
        _logger.info("Ticket statistics refreshed in %.1f s", time.monotonic() - start)
        return True

    @api.model
    def _cron_refresh(self):
        return self._klusheeren_refresh()
