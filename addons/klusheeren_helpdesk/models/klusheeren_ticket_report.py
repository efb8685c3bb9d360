import logging
import time

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .klusheeren_work_order import STATES

_logger = logging.getLogger(__name__)

# The month of a ticket is its month in the Netherlands (the statistics are KlusHeeren's).
REPORT_TZ = "Europe/Amsterdam"
# aggregates the pivot's coarser groups are added up from (see _read_grouping_sets)
ROLLUP = {"sum", "avg", "min", "max", "count"}


def _rollup(agg, rows, column):
    """One aggregate of a coarser group from the rows of its finer groups (an empty aggregate is
    False, as the ORM gives it)."""
    if agg == "__count":
        return sum(row[column[agg]] for row in rows)
    field, _sep, func = agg.rpartition(":")
    values = [row[column[agg]] for row in rows if row[column[agg]] is not None and row[column[agg]] is not False]
    if func == "avg":
        count = column[f"{field}:count"]
        weights = [(row[column[agg]], row[count]) for row in rows if row[count]]
        total = sum(n for _value, n in weights)
        return sum(value * n for value, n in weights) / total if total else False
    if not values:
        return False
    if func in ("sum", "count"):
        return sum(values)
    return min(values) if func == "min" else max(values)


class KlusheerenTicketReport(models.Model):
    """Statistics: one row per ticket, with its main work order (the newest one that was not
    refused or cancelled, else the newest). A PostgreSQL materialized view, refreshed by the
    job ``klusheeren_helpdesk.ir_cron_ticket_report_refresh`` (and the button of the views),
    so that pivots stay fast at a million tickets (bench/stats.py).

    Averages are over the rows that have a value: a duration is empty (NULL) until its event.
    Addons add columns by extending ``_select()``/``_from()`` and declaring the field
    (klusheeren_rating adds satisfaction and complaints).

    The area of a ticket is the responsibility area (``klusheeren.area``) its site lies in, as the
    routing finds it (named in the area, or its postcode in one of its ranges; the deepest one
    when areas are nested, then the oldest); when the site lies in none, the area of the rule
    that routed the ticket. One row per site, computed once per refresh (sites are few).
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
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True, groups="base.group_user")
    channel_id = fields.Many2one("helpdesk.ticket.channel", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True, groups="base.group_user")
    site_id = fields.Many2one("res.partner", readonly=True)
    area_id = fields.Many2one("klusheeren.area", readonly=True, groups="base.group_user")
    customer_id = fields.Many2one("res.partner", readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    equipment_category_id = fields.Many2one(
        "maintenance.equipment.category", string="Equipment category", readonly=True
    )
    contractor_id = fields.Many2one("res.partner", readonly=True)
    work_order_state = fields.Selection(STATES, string="Work order status", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    work_order_count = fields.Integer(string="Work orders", readonly=True, aggregator="sum")
    hours_to_accept = fields.Float(
        string="Hours to accept",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From sending the work order to the contractor's acceptance.",
    )
    hours_to_appointment = fields.Float(
        string="Hours to appointment",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the report to the contractor's appointment.",
    )
    hours_to_done = fields.Float(
        string="Hours to done",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the report to the completion of the work order.",
    )
    reopen_count = fields.Integer(string="Reopened", readonly=True, aggregator="sum")
    currency_id = fields.Many2one("res.currency", readonly=True)
    # a ticket's cost sums every contractor's orders on it: not for a contractor's login
    cost = fields.Monetary(
        string="Cost excl. VAT",
        readonly=True,
        groups="base.group_user",
        aggregator="sum",
        currency_field="currency_id",
        help="Total of the ticket's completed work orders.",
    )

    def _select(self):
        return SQL(
            """
                t.id AS id,
                t.id AS ticket_id,
                wo.id AS work_order_id,
                (t.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                date_trunc('month', t.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date_month,
                t.company_id,
                t.team_id,
                t.channel_id,
                t.stage_id,
                t.user_id,
                t.site_id,
                COALESCE(site_area.area_id, rule.area_id) AS area_id,
                COALESCE(site_parent.commercial_partner_id, site.commercial_partner_id) AS customer_id,
                t.equipment_id,
                eq.category_id AS equipment_category_id,
                wo.contractor_id,
                wo.state AS work_order_state,
                1 AS ticket_count,
                COALESCE(agg.work_order_count, 0) AS work_order_count,
                (EXTRACT(EPOCH FROM (wo.date_accepted - wo.date_sent)) / 3600.0)::float8 AS hours_to_accept,
                (EXTRACT(EPOCH FROM (wo.appointment_date - t.create_date)) / 3600.0)::float8
                    AS hours_to_appointment,
                (EXTRACT(EPOCH FROM (wo.date_done - t.create_date)) / 3600.0)::float8 AS hours_to_done,
                COALESCE(t.klusheeren_reopen_count, 0) AS reopen_count,
                company.currency_id,
                COALESCE(agg.cost, 0)::float8 AS cost
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
                LEFT JOIN klusheeren_responsibility rule ON rule.id = t.responsibility_id
                LEFT JOIN (%(site_area)s) site_area ON site_area.site_id = t.site_id
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
            """,
            site_area=self._site_area_query(),
        )

    def _site_area_query(self):
        """The area of each site that has tickets: the deepest active area naming it or holding its
        postcode number (klusheeren_area.postcode_number, in SQL; longer numbers than an integer
        holds are in no range)."""
        return SQL(
            """
            SELECT DISTINCT ON (p.id) p.id AS site_id, a.id AS area_id
              FROM res_partner p
              CROSS JOIN LATERAL (
                  SELECT replace(substring(p.zip FROM '^\\s*([0-9][0-9 ]*)'), ' ', '') AS digits
              ) d
              CROSS JOIN LATERAL (SELECT CASE WHEN length(d.digits) <= 9 THEN d.digits::int END AS number) pc
              JOIN klusheeren_area a ON a.active AND (
                   EXISTS (SELECT 1 FROM klusheeren_area_site_rel r WHERE r.area_id = a.id AND r.site_id = p.id)
                   OR EXISTS (SELECT 1 FROM klusheeren_area_postcode r
                               WHERE r.area_id = a.id AND pc.number BETWEEN r.number_from AND r.number_to))
             WHERE p.id IN (SELECT site_id FROM helpdesk_ticket WHERE site_id IS NOT NULL GROUP BY site_id)
          ORDER BY p.id, length(a.parent_path) DESC, a.id
            """
        )

    def _query(self):
        # stored by site and date: the rows of a pivot's group lie together, which makes its hash
        # aggregate a good part faster than over rows in random order (bench/stats.py)
        # archived tickets (discarded ones, helpdesk_mgmt's demo tickets) are no statistics
        return SQL("SELECT %s FROM %s WHERE t.active ORDER BY t.site_id, t.create_date", self._select(), self._from())

    def init(self):
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        table = SQL.identifier(self._table)
        cr.execute(SQL("CREATE MATERIALIZED VIEW %s AS (%s)", table, self._query()))
        # the unique index lets the refresh run CONCURRENTLY (readers are never blocked)
        cr.execute(SQL("CREATE UNIQUE INDEX ON %s (id)", table))
        for column in ("date", "contractor_id", "site_id", "area_id", "equipment_id", "company_id"):
            cr.execute(SQL("CREATE INDEX ON %s (%s)", table, SQL.identifier(column)))
        cr.execute(SQL("ANALYZE %s", table))

    # ------------------------------------------------------------------
    # Pivots at a million rows
    # ------------------------------------------------------------------
    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The pivot view asks every groupby prefix of its rows and columns at once (SQL
        GROUPING SETS). Over a million rows PostgreSQL sorts them for that (it cannot estimate
        the groups of a joined many2one), and the ORM joins each many2one's table to order the
        groups by it: seconds. Here the finest set alone is asked, without join or order (one
        hash aggregate over the view), the coarser sets are added up from its groups (a few
        thousand) in Python, for the aggregates that add up (count, sum, min, max; avg weighted by
        its count), and every set is put in the ORM's order in Python. Anything else goes to the
        ORM as it is."""
        sets = [tuple(groupby) for groupby in grouping_sets]
        finest = max(sets, key=len) if sets else ()
        terms = [term.strip() for term in (order or "").split(",") if term.strip()]
        if (
            len(sets) < 2
            or not all(set(groupby) <= set(finest) for groupby in sets)
            or not all(agg == "__count" or agg.rpartition(":")[2] in ROLLUP for agg in aggregates)
            or not all(term in finest for term in terms)
        ):
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        counts = [f"{agg.rpartition(':')[0]}:count" for agg in aggregates if agg.endswith(":avg")]
        asked = list(dict.fromkeys([*aggregates, *counts]))
        # JIT compilation costs more than it saves on these scans (PostgreSQL's default is on)
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        rows = self._klusheeren_read_unordered(domain, finest, asked)
        width = len(finest)
        column = {agg: width + i for i, agg in enumerate(asked)}
        result = []
        for groupby in sets:
            if groupby == finest:
                sort_key = self._klusheeren_group_sort_key([row[:width] for row in rows])
                rows.sort(key=lambda row, sort_key=sort_key: sort_key(row[:width]))
                result.append([row[:width] + tuple(row[column[agg]] for agg in aggregates) for row in rows])
                continue
            positions = [finest.index(spec) for spec in groupby]
            buckets = {}
            for row in rows:
                buckets.setdefault(tuple(row[p] for p in positions), []).append(row)
            if not groupby and not buckets:
                buckets[()] = []  # the total of nothing is one row, as in SQL
            keys = sorted(buckets, key=self._klusheeren_group_sort_key(list(buckets)))
            result.append([key + tuple(_rollup(agg, buckets[key], column) for agg in aggregates) for key in keys])
        return result

    def _read_group_groupby(self, alias, groupby_spec, query):
        """Grouping by month reads the view's column ``date_month``, the same value as the ORM's
        ``date_trunc('month', date)`` computed once at the refresh rather than for every row
        of every pivot (it is most of a pivot's time over a million rows)."""
        term = super()._read_group_groupby(alias, groupby_spec, query)
        if groupby_spec == "date:month" and alias == self._table:
            return SQL.identifier(alias, "date_month")
        return term

    def _web_read_group_format(self, groupby, aggregates, groups):
        """The web client's format of the groups (web's ``Base._web_read_group_format``), for the
        thousands of groups of a pivot: each distinct value is formatted once (a site recurs in
        every month), and a group's domain is the conjunction of its values' domains written
        out in prefix notation instead of being normalised group by group."""
        if not groups or not groupby or self._web_read_group_field_expand(groupby):
            return super()._web_read_group_format(groupby, aggregates, groups)
        result = [{} for _group in groups]
        columns = list(zip(*groups, strict=True))
        domains = [[] for _group in groups]
        for spec, values in zip(groupby, columns, strict=False):
            formatter = self._web_read_group_groupby_formatter(spec, values)
            formatted = {}
            for value, group, domain in zip(values, result, domains, strict=True):
                try:
                    label, extra = formatted[value]
                except KeyError:
                    label, extra = formatted[value] = formatter(value)
                except TypeError:  # not hashable (a property's value): as it is
                    label, extra = formatter(value)
                group[spec] = label
                domain.append(extra)
        for group, extra in zip(result, domains, strict=True):
            parts = [part for part in extra if part]
            group["__extra_domain"] = ["&"] * (len(parts) - 1) + [term for part in parts for term in part]
        for spec, values in zip(aggregates, columns[len(groupby) :], strict=True):
            for value, group in zip(values, result, strict=True):
                group[spec] = value
        return result

    @api.model
    def _klusheeren_read_unordered(self, domain, groupby, aggregates):
        """``_read_group(domain, groupby, aggregates)`` in no particular order: the same access
        checks, record rules and values, without the join that ordering by a many2one takes."""
        self.browse().check_access("read")
        query = self._search(domain)
        if query.is_empty():
            return []
        terms = [self._read_group_groupby(self._table, spec, query) for spec in groupby]
        selects = [self._read_group_select(spec, query) for spec in aggregates]
        if terms:
            query.groupby = SQL(", ").join(terms)
        rows = self.env.execute_query(query.select(*terms, *selects))
        if not rows:
            return []
        columns = iter(zip(*rows, strict=True))
        values = [self._read_group_postprocess_groupby(spec, next(columns)) for spec in groupby]
        values += [self._read_group_postprocess_aggregate(spec, next(columns)) for spec in aggregates]
        return list(zip(*values, strict=True))

    @api.model
    def _klusheeren_group_sort_key(self, keys):
        """Groups in the ORM's order: many2one values by their model's order, others by value,
        empty values last."""
        ranks = []
        for i in range(len(keys[0]) if keys else 0):
            values = {key[i] for key in keys}
            records = [v for v in values if isinstance(v, models.BaseModel) and v]
            if records:
                # sudo: only the order of values the caller already got; no data leaves here
                ordered = records[0].browse({r.id for r in records}).sudo().with_context(active_test=False).sorted()
                rank = {record.id: n for n, record in enumerate(ordered)}
                ranks.append(lambda v, rank=rank: (0, rank[v.id]) if v else (1, 0))
            else:
                ranks.append(lambda v: (1, 0) if v is None or v is False else (0, v))
        return lambda key: tuple(rank(v) for rank, v in zip(ranks, key, strict=True))

    @api.model
    def action_refresh(self):
        """Recompute the statistics and the equipment's reliability figures now."""
        if not self.env.user.has_group("klusheeren_base.group_klusheeren_user"):
            raise AccessError(self.env._("Only the KlusHeeren back office can refresh the statistics."))
        self._klusheeren_refresh()
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _klusheeren_refresh(self):
        start = time.monotonic()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table)))
        self.env["maintenance.equipment"]._klusheeren_update_reliability()
        self.env.invalidate_all()
        _logger.info("Ticket statistics refreshed in %.1f s", time.monotonic() - start)
        return True

    @api.model
    def _cron_refresh(self):
        return self._klusheeren_refresh()
