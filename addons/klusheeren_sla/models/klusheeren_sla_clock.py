import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress

from ..tools.working_time import WorkingTime
from ..tools.working_time import shared as shared_working_time
from .sla_queries import (
    PAUSE_SQL,
    STAGE_RESOLVED,
    STAGE_WAITING,
    cancel_query,
    insert_query,
    rematch_query,
    stop_query,
    summary_queries,
)

_logger = logging.getLogger(__name__)

KINDS = [
    ("accept", "Accept"),
    ("contact", "Contact the site"),
    ("done", "Done"),
]
STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("late", "Late"),
    ("met", "Met"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]
OPEN = ("running", "paused", "late")
# the summary stored on tickets and work orders (sla_queries.SUMMARY)
SLA_STATUS = [
    ("on_track", "On track"),
    ("warning", "Deadline near"),
    ("late", "Late"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("missed", "Missed"),
]
BATCH = 10000
NOTIFY_LIMIT = 200
# the span of precomputed working time beyond now: deadlines further away widen it
HORIZON = timedelta(days=120)
CRON = "klusheeren_sla.ir_cron_sla_maintain"


class KlusheerenSlaClock(models.Model):
    """One deadline of a ticket or a work order: the clock of one step (accept, contact the site,
    done) under the policy that applied when it started.

    Why not OCA's ``helpdesk_mgmt_sla`` (19.0, read for this): its clocks follow the ticket's
    stage sequence only, so it has no clock for a work order's acceptance or appointment; it
    pauses on stages but not on a work order on hold for parts; it matches neither priority nor
    a target per step; it sends no warning and no escalation; and it computes each deadline
    with ``plan_hours``/``get_work_hours_count`` one record at a time in the ORM (minutes for a
    hundred thousand open tickets; the job here needs seconds). Its useful ideas are kept: a
    resource calendar's working hours with its leaves, paused time counted and added to the
    deadline, the deadline of a finished clock kept for the statistics.

    The job works set-based: the clocks the tickets and work orders need are made and stopped
    by a few SQL statements (``sla_queries``), the deadlines of open clocks are computed in
    batches over a precomputed working-time table per calendar (``tools/working_time.py``),
    and the warnings and escalations go out record by record (``klusheeren.job.mixin``: one
    that fails is retried alone). The same steps run for a single ticket when it or its work
    orders change, so the deadline shows at once.
    """

    _name = "klusheeren.sla.clock"
    _description = "Service level deadline"
    _inherit = ["klusheeren.job.mixin"]
    _order = "date_deadline, id"
    _rec_name = "kind"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    work_order_id = fields.Many2one("klusheeren.work.order", index="btree_not_null", ondelete="cascade", readonly=True)
    kind = fields.Selection(KINDS, string="Step", required=True, readonly=True)
    policy_id = fields.Many2one("klusheeren.sla.policy", string="Target", ondelete="set null", readonly=True)
    calendar_id = fields.Many2one("resource.calendar", string="Working time", ondelete="set null", readonly=True)
    target_hours = fields.Float(string="Working hours", readonly=True)
    warning_percent = fields.Float(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Datetime(string="Started", readonly=True)
    date_warning = fields.Datetime(string="Warning from", readonly=True)
    date_deadline = fields.Datetime(string="Deadline", readonly=True)
    date_reached = fields.Datetime(string="Reached", readonly=True)
    paused_since = fields.Datetime(readonly=True)
    paused_hours = fields.Float(string="Paused (working hours)", readonly=True)
    state = fields.Selection(STATES, required=True, default="running", readonly=True, index=True)
    warned = fields.Boolean(readonly=True)
    escalated = fields.Boolean(readonly=True)

    _one_per_step = models.UniqueIndex("(ticket_id, COALESCE(work_order_id, 0), kind)")

    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for clock in self:
            clock.display_name = labels.get(clock.kind, "")

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------
    @api.model
    def _cron_maintain(self):
        """Make, stop and pause the clocks of all open tickets and work orders, compute their
        deadlines and states, then warn and escalate (a batch at a time; the cron worker runs
        the job again while more are due)."""
        start = time.monotonic()
        count = self._klusheeren_maintain(None)
        _logger.info("SLA: %s deadlines maintained in %.1f s", count, time.monotonic() - start)
        commit_progress(self.env)
        done, remaining = self._klusheeren_notify()
        commit_progress(self.env, done, remaining=remaining)
        return count

    @api.model
    def _klusheeren_trigger(self):
        cron = self.env.ref(CRON, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _klusheeren_maintain(self, ticket_ids, backfill=False):
        """The clocks of these tickets (None: every open ticket and work order), up to date now.
        Returns the number of clocks whose deadline was computed."""
        self.env.flush_all()
        now = fields.Datetime.now()
        cr = self.env.cr
        ids = list(ticket_ids) if ticket_ids is not None else None
        params = {
            "now": now,
            "uid": self.env.uid,
            "ids": ids,
            "all": ids is None,
            "backfill": backfill,
            "resolved": self._klusheeren_stage(STAGE_RESOLVED),
            "waiting": self._klusheeren_stage(STAGE_WAITING),
        }
        timings = {}
        for query in (insert_query, rematch_query, stop_query, cancel_query):
            start = time.monotonic()
            cr.execute(query(params))
            timings[query.__name__] = time.monotonic() - start
        start = time.monotonic()
        cr.execute(
            SQL(
                "SELECT id FROM klusheeren_sla_clock WHERE state IN %s AND (%s OR ticket_id = ANY(%s)) ORDER BY id",
                OPEN,
                params["all"],
                ids or [],
            )
        )
        clock_ids = [row[0] for row in cr.fetchall()]
        cache = {}
        tickets = set()
        for offset in range(0, len(clock_ids), BATCH):
            tickets |= self._klusheeren_compute(clock_ids[offset : offset + BATCH], now, params, cache)
        timings["deadlines"] = time.monotonic() - start
        start = time.monotonic()
        for query in summary_queries(params, tickets | set(ids or ())):
            cr.execute(query)
        timings["summaries"] = time.monotonic() - start
        log = _logger.info if ids is None else _logger.debug
        log("SLA: %s open clocks; %s", len(clock_ids), ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        # what SQL changed, read again from the database when asked
        self.invalidate_model()
        for model in ("helpdesk.ticket", "klusheeren.work.order"):
            self.env[model].invalidate_model(
                ["klusheeren_sla_clock_ids", "klusheeren_sla_deadline", "klusheeren_sla_status"]
            )
        return len(clock_ids)

    @api.model
    def _klusheeren_stage(self, xmlid):
        stage = self.env.ref(xmlid, raise_if_not_found=False)
        return stage.id if stage else 0

    @api.model
    def _klusheeren_working_time(self, cache, calendar_id, date_from, date_to):
        """The precomputed working time of a calendar covering ``date_from``..``date_to``."""
        working = cache.get(calendar_id)
        if working is None:
            # the span this process knows already, when the calendar did not change (one query)
            working = cache[calendar_id] = shared_working_time(self.env, calendar_id, date_from, date_to)
        if date_from < working.date_from or date_to > working.date_to:
            date_from = min(date_from, working.date_from)
            date_to = max(date_to, working.date_to + (working.date_to - working.date_from))
            calendar = self.env["resource.calendar"].browse(calendar_id).sudo()
            working = cache[calendar_id] = WorkingTime.from_calendar(calendar, date_from, date_to)
        return working

    @api.model
    def _klusheeren_compute(self, clock_ids, now, params, cache):
        """Deadlines and states of a batch of open clocks; returns their tickets. A clock whose
        computation fails (a calendar without working time) is logged and left as it was."""
        cr = self.env.cr
        cr.execute(SQL(PAUSE_SQL, ids=clock_ids, waiting=params["waiting"]))
        rows = cr.fetchall()
        values, tickets = [], set()
        for row in rows:
            try:
                new = self._klusheeren_clock_values(row, now, cache)
            except Exception as error:  # one clock never holds up the others
                _logger.warning("SLA: deadline of klusheeren.sla.clock(%s) not computed: %s", row[0], error)
                continue
            tickets.add(row[1])
            if new != tuple(row[8:13]):
                values.append((row[0], *new))
        if values:
            columns = list(zip(*values, strict=True))
            cr.execute(
                SQL(
                    """UPDATE klusheeren_sla_clock c
                          SET date_deadline = v.deadline, date_warning = v.warning, paused_hours = v.paused_hours,
                              paused_since = v.paused_since, state = v.state, write_date = %s
                         FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[], %s::float8[], %s::timestamp[],
                                     %s::varchar[]) AS v(id, deadline, warning, paused_hours, paused_since, state)
                        WHERE c.id = v.id""",
                    now,
                    *[list(column) for column in columns],
                )
            )
        return tickets

    @api.model
    def _klusheeren_clock_values(self, row, now, cache):
        """(deadline, warning, paused hours, paused since, state) of one clock, from the row of
        PAUSE_SQL."""
        (_id, _ticket, calendar_id, start, target, percent, reached, pause, _d, _w, paused_hours, paused_since, _st) = (
            row
        )
        if not calendar_id or not start:
            raise ValueError("no working time or no start")
        working = self._klusheeren_working_time(cache, calendar_id, min(start, paused_since or start), now + HORIZON)
        end = reached or now
        if paused_since and (not pause or reached):
            paused_hours += working.hours_between(paused_since, end)
            paused_since = None
        elif not paused_since and pause and not reached:
            paused_since = now
        running_pause = working.hours_between(paused_since, now) if paused_since else 0.0
        base = working.position(start) + (paused_hours + running_pause) * 3600.0
        deadline = working.moment(base + target * 3600.0)
        if deadline is None:  # further than the span: widen it once
            working = self._klusheeren_working_time(cache, calendar_id, start, now + 4 * HORIZON)
            base = working.position(start) + (paused_hours + running_pause) * 3600.0
            deadline = working.moment(base + target * 3600.0)
            if deadline is None:
                raise ValueError("the calendar has too little working time")
        warning = working.moment(base + target * 3600.0 * (percent or 75.0) / 100.0)
        if reached:
            state = "met" if reached <= deadline else "missed"
        elif paused_since:
            state = "paused"
        elif now > deadline:
            state = "late"
        else:
            state = "running"
        return (deadline, warning, round(paused_hours, 6), paused_since, state)

    # ------------------------------------------------------------------
    # Warnings and escalations, each once per deadline
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_notify_domains(self, now):
        warn = [("state", "in", ("running", "late")), ("warned", "=", False), ("date_warning", "<=", now)]
        escalate = [("state", "=", "late"), ("escalated", "=", False)]
        return warn, escalate

    @api.model
    def _klusheeren_notify(self, limit=NOTIFY_LIMIT):
        """Warn and escalate up to ``limit`` clocks; returns (done, remaining)."""
        now = fields.Datetime.now()
        warn, escalate = self._klusheeren_notify_domains(now)
        job = self._klusheeren_job_domain()
        late = self.search(escalate + job, limit=limit, order="date_deadline, id")
        done = late._klusheeren_job_run(lambda c: c._klusheeren_escalate(), self.env._("Escalating a deadline"))
        # an escalation says it all: no warning after it
        done.write({"escalated": True, "warned": True})
        due = self.search(warn + job, limit=max(0, limit - len(late)), order="date_warning, id")
        warned = due._klusheeren_job_run(lambda c: c._klusheeren_warn(), self.env._("Warning of a deadline"))
        warned.write({"warned": True})
        remaining = 0
        if len(late) + len(due) >= limit:
            remaining = self.search_count(escalate + job) + self.search_count(warn + job)
        return len(done) + len(warned), remaining

    def _klusheeren_record(self):
        """The work order or ticket the clock is about (where the activities go)."""
        self.ensure_one()
        return (self.work_order_id or self.ticket_id).sudo()

    def _klusheeren_responsible(self):
        self.ensure_one()
        if self.work_order_id:
            return self.work_order_id.sudo()._klusheeren_job_responsible()
        ticket = self.ticket_id.sudo()
        team = ticket.team_id
        return (ticket.user_id | team.user_id | team.user_ids).filtered(lambda u: u.active and not u.share)[:1]

    def _klusheeren_team_leader(self):
        self.ensure_one()
        leader = self.ticket_id.sudo().team_id.user_id
        return leader if leader.active and not leader.share else self._klusheeren_responsible()

    def _klusheeren_job_responsible(self):
        return self._klusheeren_responsible()

    def _klusheeren_job_tell(self, job_label, reason):
        """A failing clock is told on its ticket or work order (a clock has no chatter)."""
        self._klusheeren_record()._klusheeren_job_tell(job_label, reason)

    def _klusheeren_deadline_text(self, user):
        """The deadline in the user's time zone and language, for an activity."""
        self.ensure_one()
        record = self.with_context(lang=user.lang or self.env.lang, tz=user.tz or "Europe/Amsterdam")
        label = dict(self._fields["kind"]._description_selection(record.env))[self.kind]
        when = fields.Datetime.context_timestamp(record, self.date_deadline).strftime("%d-%m-%Y %H:%M")
        return record.env, label, when

    def _klusheeren_warn(self):
        self.ensure_one()
        user = self._klusheeren_responsible()
        env, label, when = self._klusheeren_deadline_text(user)
        record = self._klusheeren_record()
        record.activity_schedule(
            "klusheeren_sla.mail_activity_type_sla_warning",
            date_deadline=self.date_deadline.date(),
            summary=env._("Deadline near: %(step)s of %(name)s", step=label, name=record.display_name),
            note=env._(
                '%(percent)s %% of the time for "%(step)s" is used; the deadline is %(when)s.',
                percent=round(self.warning_percent),
                step=label,
                when=when,
            ),
            user_id=user.id,  # none: an unassigned activity
        )

    def _klusheeren_escalate(self):
        self.ensure_one()
        leader = self._klusheeren_team_leader()
        env, label, when = self._klusheeren_deadline_text(leader)
        record = self._klusheeren_record()
        text = env._('Deadline missed: "%(step)s" was due %(when)s.', step=label, when=when)
        record.message_post(body=text, subtype_xmlid="mail.mt_note")
        record.activity_schedule(
            "klusheeren_sla.mail_activity_type_sla_escalation",
            summary=env._("Escalation: %(step)s of %(name)s is late", step=label, name=record.display_name),
            note=text,
            user_id=leader.id,
        )
