import logging
from datetime import timedelta

import pytz
from psycopg2 import Error as PgError

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools.schedule import due_dates, step

_logger = logging.getLogger(__name__)

BACK_OFFICE = "klusheeren_base.group_klusheeren_user"
DEFAULT_TZ = "Europe/Amsterdam"
# The work order is created and sent this many days before it is due, unless the job says
# otherwise: about a quarter of the interval, as maintenance planning software does.
DEFAULT_LEAD_DAYS = {"days": 0, "weeks": 2, "months": 7, "years": 30}
# Changing one of these re-plans the future occurrences that were not sent yet.
SCHEDULE_FIELDS = {
    "active",
    "state",
    "scope",
    "equipment_ids",
    "category_id",
    "site_ids",
    "site_id",
    "contractor_id",
    "interval_number",
    "interval_type",
    "day_mode",
    "month_day",
    "weekday",
    "week_number",
    "date_start",
    "end_type",
    "date_end",
    "occurrence_limit",
    "schedule_type",
    "lead_days",
    "horizon_days",
    "company_id",
}
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class KlusheerenRecurringJob(models.Model):
    _name = "klusheeren.recurring.job"
    _description = "Recurring Job"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    # What
    name = fields.Char(string="Title", required=True, tracking=True)
    description = fields.Html(help="Copied to the ticket and the work order.")
    instructions = fields.Html(
        string="Instructions for the contractor",
        help="Shown to the contractor on the work order page and in its PDF.",
    )
    line_ids = fields.One2many("klusheeren.recurring.job.line", "job_id", string="Expected materials", copy=True)
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        [("running", "Running"), ("paused", "Paused"), ("ended", "Ended")],
        default="running",
        required=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Back-office user of the work orders of this job.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        default=lambda self: self.env.ref("klusheeren_helpdesk.team_storingen", False),
        check_company=True,
    )
    # Where
    scope = fields.Selection(
        [
            ("equipment", "A list of equipment"),
            ("category", "All equipment of a category"),
            ("site", "A site, without equipment"),
        ],
        string="Applies to",
        default="equipment",
        required=True,
        tracking=True,
    )
    equipment_ids = fields.Many2many("maintenance.equipment", check_company=True)
    category_id = fields.Many2one("maintenance.equipment.category")
    site_ids = fields.Many2many(
        "res.partner",
        "klusheeren_recurring_job_site_rel",
        "job_id",
        "partner_id",
        string="At the sites",
        help="The category's equipment at these sites (e.g. all sites of an area); empty: at "
        "every site. Equipment added later joins by itself.",
    )
    site_id = fields.Many2one("res.partner", tracking=True)
    # Who
    contractor_id = fields.Many2one(
        "res.partner",
        domain=[("klusheeren_is_contractor", "=", True)],
        tracking=True,
        help="Empty: the contractor the responsibility rules give, else the equipment's.",
    )
    # When
    interval_number = fields.Integer(string="Every", default=1, required=True, tracking=True)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months"), ("years", "Years")],
        string="Unit",
        default="months",
        required=True,
        tracking=True,
    )
    day_mode = fields.Selection(
        [
            ("start", "Same day as the start date"),
            ("month_day", "On a day of the month"),
            ("weekday", "On a weekday"),
        ],
        string="On",
        default="start",
        required=True,
    )
    month_day = fields.Integer(string="Day of the month", help="31: the last day of every month (30, 28 or 29).")
    weekday = fields.Selection(WEEKDAYS)
    week_number = fields.Selection(
        [("1", "First"), ("2", "Second"), ("3", "Third"), ("4", "Fourth"), ("-1", "Last")],
        string="Which",
        default="1",
    )
    date_start = fields.Date(string="Start date", required=True, default=fields.Date.context_today, tracking=True)
    end_type = fields.Selection(
        [("never", "Never"), ("date", "On a date"), ("count", "After a number of times")],
        string="Ends",
        default="never",
        required=True,
    )
    date_end = fields.Date(string="End date", tracking=True)
    occurrence_limit = fields.Integer(string="Number of times")
    schedule_type = fields.Selection(
        [
            ("fixed", "Fixed calendar"),
            ("after_done", "After the last one was completed"),
        ],
        string="Schedule",
        default="fixed",
        required=True,
        help="Fixed calendar: the due dates never move. After completion: the next one is due "
        "one interval after the previous work order was completed.",
    )
    lead_days = fields.Integer(
        string="Lead time (days)",
        compute="_compute_lead_days",
        store=True,
        readonly=False,
        precompute=True,
        help="The ticket and the work order are created and sent this many days before the due date.",
    )
    horizon_days = fields.Integer(
        string="Planning horizon (days)",
        default=365,
        help="How far ahead the occurrences are planned and shown in the calendar.",
    )
    date_planned_until = fields.Date(
        string="Planned until",
        readonly=True,
        copy=False,
        help="The occurrences up to this date have been planned.",
    )
    occurrence_ids = fields.One2many("klusheeren.recurring.occurrence", "job_id")
    next_date = fields.Date(string="Next due date", compute="_compute_counts")
    upcoming_count = fields.Integer(compute="_compute_counts")
    missed_count = fields.Integer(compute="_compute_counts")
    work_order_count = fields.Integer(compute="_compute_counts")

    _interval_positive = models.Constraint("CHECK (interval_number > 0)", "The interval must be at least 1.")
    _lead_not_negative = models.Constraint(
        "CHECK (lead_days >= 0 AND horizon_days >= 0)",
        "The lead time and the planning horizon cannot be negative.",
    )

    @api.depends("interval_type")
    def _compute_lead_days(self):
        for job in self:
            job.lead_days = DEFAULT_LEAD_DAYS.get(job.interval_type, 7)

    def _compute_counts(self):
        Occurrence = self.env["klusheeren.recurring.occurrence"]
        today = self._klusheeren_today()
        upcoming = {
            job: (count, first)
            for job, count, first in Occurrence._read_group(
                [("job_id", "in", self.ids), ("state", "in", ("planned", "ordered")), ("due_date", ">=", today)],
                ["job_id"],
                ["__count", "due_date:min"],
            )
        }
        missed = dict(
            Occurrence._read_group([("job_id", "in", self.ids), ("state", "=", "missed")], ["job_id"], ["__count"])
        )
        orders = dict(
            self.env["klusheeren.work.order"]._read_group(
                [("recurring_job_id", "in", self.ids)], ["recurring_job_id"], ["__count"]
            )
        )
        for job in self:
            job.upcoming_count, job.next_date = upcoming.get(job, (0, False))
            job.missed_count = missed.get(job, 0)
            job.work_order_count = orders.get(job, 0)

    @api.constrains("scope", "equipment_ids", "category_id", "site_id")
    def _check_scope(self):
        for job in self:
            if job.scope == "category" and not job.category_id:
                raise ValidationError(self.env._("Choose the category of equipment of %s.", job.name))
            if job.scope == "site" and not job.site_id:
                raise ValidationError(self.env._("Choose the site of %s.", job.name))

    @api.constrains("day_mode", "month_day", "weekday", "interval_type")
    def _check_day(self):
        for job in self:
            if job.interval_type == "days" or job.day_mode == "start":
                continue
            if job.day_mode == "month_day" and (job.interval_type == "weeks" or not 1 <= job.month_day <= 31):
                raise ValidationError(self.env._("A day of the month is a number from 1 to 31, for months or years."))
            if job.day_mode == "weekday" and not job.weekday:
                raise ValidationError(self.env._("Choose the weekday."))

    @api.constrains("end_type", "date_end", "occurrence_limit", "date_start")
    def _check_end(self):
        for job in self:
            if job.end_type == "date" and (not job.date_end or job.date_end < job.date_start):
                raise ValidationError(self.env._("The end date must lie after the start date."))
            if job.end_type == "count" and job.occurrence_limit < 1:
                raise ValidationError(self.env._("Give the number of times, at least 1."))

    # ------------------------------------------------------------------
    # Calendar
    # ------------------------------------------------------------------
    def _klusheeren_today(self):
        """Today in the company's time zone (its partner's): the day changes at local
        midnight, whatever the server's clock and the daylight saving time."""
        company = self[:1].company_id or self.env.company
        tz = pytz.timezone(company.partner_id.tz or DEFAULT_TZ)
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    def _klusheeren_rule(self):
        self.ensure_one()
        return {
            "start": self.date_start,
            "interval_number": self.interval_number,
            "interval_type": self.interval_type,
            "day_mode": self.day_mode,
            "month_day": self.month_day,
            "weekday": self.weekday,
            "week_number": self.week_number,
            "date_end": self.date_end if self.end_type == "date" else None,
            "count": self.occurrence_limit if self.end_type == "count" else None,
        }

    def _klusheeren_due_dates(self, date_from, date_to):
        """``[(index, date)]`` of this job's due dates in ``[date_from, date_to]``."""
        return due_dates(self._klusheeren_rule(), date_from, date_to)

    def _klusheeren_equipment(self):
        """The equipment the job applies to now (the category's new equipment included)."""
        self.ensure_one()
        Equipment = self.env["maintenance.equipment"].with_context(active_test=True)
        if self.scope == "equipment":
            return self.equipment_ids.filtered("active")
        if self.scope == "category":
            domain = [("category_id", "=", self.category_id.id), ("company_id", "in", (False, self.company_id.id))]
            if self.site_ids:
                domain.append(("site_id", "in", self.site_ids.ids))
            return Equipment.search(domain, order="id")
        return Equipment

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    def action_plan_now(self):
        """The "Plan now" button: what the daily job does, for these jobs, now."""
        if not self.env.su and not self.env.user.has_group(BACK_OFFICE):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))
        self.sudo()._klusheeren_run()  # sudo: the back office, checked above
        return True

    @api.model
    def _cron_plan(self):
        """Daily: plan every running job over its horizon, list what was missed, create and
        send the work orders whose lead time has come. In the cron worker, progress is
        committed after each job and each batch of work orders (``ir.cron._commit_progress``):
        a long run that is cut off resumes where it stopped."""
        jobs = self.search([("state", "=", "running")])
        jobs._klusheeren_run(commit=bool(self.env.context.get("ir_cron_progress_id")))
        return True

    def _klusheeren_run(self, commit=False):
        Occurrence = self.env["klusheeren.recurring.occurrence"]
        Cron = self.env["ir.cron"]
        for job in self:
            # one job failing (or planned at the same moment by another worker) never holds up
            # the others: each in its own savepoint
            try:
                with self.env.cr.savepoint():
                    job._klusheeren_plan()
            except PgError as error:
                _logger.info("Recurring job %s is being planned elsewhere, skipped: %s", job.id, error.pgcode)
            if commit:
                Cron._commit_progress(1, remaining=0)
        Occurrence._klusheeren_order_due(self, commit=commit)
        return True

    def _klusheeren_plan(self, equipment=None):
        """Insert the occurrences of the planning horizon (one per due date and equipment;
        the unique index makes a second insert of the same one a no-op) and list the ones the
        downtime missed. With ``equipment``: for those pieces only (one was moved or archived)."""
        Occurrence = self.env["klusheeren.recurring.occurrence"]
        count = 0
        for job in self.filtered(lambda j: j.state == "running" and j.active):
            today = job._klusheeren_today()
            Occurrence._klusheeren_mark_missed(job, today)
            until = today + timedelta(days=job.horizon_days)
            if job.scope == "site":
                targets = [(None, job.site_id.id)] if equipment is None else []
            else:
                current = job._klusheeren_equipment()
                if equipment is not None:
                    current &= equipment
                targets = [(eq.id, eq.site_id.id) for eq in current]
            if job.schedule_type == "fixed":
                # after a downtime: the due dates between the last planning and today are
                # listed for the back office (state "missed"), never created in a burst
                since = job.date_planned_until and job.date_planned_until + timedelta(days=1)
                if since and since < today:
                    gap = job._klusheeren_due_dates(since, today - timedelta(days=1))
                    count += Occurrence._klusheeren_insert(job, targets, gap, "missed")
                count += job._klusheeren_plan_fixed(targets, today, until, equipment is None)
            else:
                count += Occurrence._klusheeren_plan_after_done(job, targets, today, until)
            if equipment is None:
                job.date_planned_until = until
        return count

    def _klusheeren_plan_fixed(self, targets, today, until, incremental):
        """The fixed calendar's due dates in ``[today, until]`` for every target. The daily run
        adds only the days past the last planning for the targets planned before (the rest is
        in the table already), and the whole horizon for new ones (equipment that joined)."""
        Occurrence = self.env["klusheeren.recurring.occurrence"]
        since = self.date_planned_until and self.date_planned_until + timedelta(days=1)
        if not (incremental and since and since > today):
            return Occurrence._klusheeren_insert(self, targets, self._klusheeren_due_dates(today, until), "planned")
        self.env.cr.execute(
            SQL("SELECT DISTINCT equipment_id FROM klusheeren_recurring_occurrence WHERE job_id = %s", self.id)
        )
        known = {row[0] for row in self.env.cr.fetchall()}
        old = [t for t in targets if t[0] in known]
        new = [t for t in targets if t[0] not in known]
        return Occurrence._klusheeren_insert(
            self, old, self._klusheeren_due_dates(since, until), "planned"
        ) + Occurrence._klusheeren_insert(self, new, self._klusheeren_due_dates(today, until), "planned")

    def _klusheeren_unplan_future(self, equipment=None):
        """Forget the future occurrences not sent yet (planned, or a draft work order) of these
        jobs (of ``equipment`` only, when given); sent work orders stay as they are."""
        Occurrence = self.env["klusheeren.recurring.occurrence"]
        domain = [("job_id", "in", self.ids), ("due_date", ">=", self._klusheeren_today())]
        if equipment is not None:
            domain.append(("equipment_id", "in", equipment.ids))
        future = Occurrence.search(domain)
        unsent = future.filtered(
            lambda o: o.state == "planned" or (o.state == "ordered" and o.work_order_id.state == "draft")
        )
        unsent._klusheeren_forget()
        return unsent

    def write(self, vals):
        replan = SCHEDULE_FIELDS & set(vals) and not self.env.context.get("klusheeren_no_replan")
        # a job that was planned before: its future unsent occurrences follow the change
        planned = self.filtered("date_planned_until") if replan else self.browse()
        res = super().write(vals)
        if planned:
            planned._klusheeren_unplan_future()
            planned.with_context(klusheeren_no_replan=True).write({"date_planned_until": False})
            planned._klusheeren_plan()
        return res

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_pause(self):
        self.write({"state": "paused"})

    def action_resume(self):
        self.write({"state": "running"})
        self._klusheeren_run()

    def action_end(self):
        self.write({"state": "ended"})

    def action_view_occurrences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_recurring.action_recurring_occurrence")
        action["domain"] = [("job_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("recurring_job_id", "=", self.id)]
        action["context"] = {}
        return action

    def _klusheeren_step(self):
        return step(self.interval_type, self.interval_number)
