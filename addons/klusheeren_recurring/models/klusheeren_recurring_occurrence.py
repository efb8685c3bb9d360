import logging
from datetime import timedelta

import pytz
from markupsafe import Markup
from psycopg2 import Error as PgError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, plaintext2html, split_every

_logger = logging.getLogger(__name__)

BACK_OFFICE = "klusheeren_base.group_klusheeren_user"
ORDER_BATCH = 500
INSERT_BATCH = 5000
INSERT_SQL = """
    INSERT INTO klusheeren_recurring_occurrence
           (job_id, equipment_id, site_id, contractor_id, company_id, due_date, send_date,
            sequence_number, state, create_uid, write_uid, create_date, write_date)
    VALUES %s
    ON CONFLICT DO NOTHING
    RETURNING id"""
INSERT_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')"
# a work order in one of these states is still "the current one" of an after-completion job
OPEN_STATES = ("draft", "sent", "accepted", "on_hold")


class KlusheerenRecurringOccurrence(models.Model):
    """One due date of a recurring job for one piece of equipment (or for its site): the plan.

    Planned over the job's horizon in bulk, it becomes a ticket with its work order when the
    lead time comes (``ordered``). The unique index makes it exist once, however many workers
    or machines plan at the same time; the work order has the same index of its own.
    """

    _name = "klusheeren.recurring.occurrence"
    _description = "Planned Maintenance Occurrence"
    _order = "due_date, id"
    _check_company_auto = True

    job_id = fields.Many2one("klusheeren.recurring.job", required=True, ondelete="cascade", index=True, readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", ondelete="cascade", index="btree_not_null", readonly=True)
    site_id = fields.Many2one("res.partner", readonly=True, index="btree_not_null")
    contractor_id = fields.Many2one("res.partner", readonly=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    due_date = fields.Date(required=True, readonly=True)
    send_date = fields.Date(string="Work order on", readonly=True, help="The day the work order is created and sent.")
    sequence_number = fields.Integer(string="Occurrence", readonly=True, help="0 is the first.")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("ordered", "Work order created"),
            ("missed", "Missed"),
            ("skipped", "Skipped"),
        ],
        default="planned",
        required=True,
        readonly=True,
        index=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True, ondelete="set null", index="btree_not_null")
    work_order_id = fields.Many2one("klusheeren.work.order", readonly=True, ondelete="set null", index="btree_not_null")
    work_order_state = fields.Selection(related="work_order_id.state", string="Work order status")
    date_done = fields.Datetime(related="work_order_id.date_done", string="Completed on")
    is_done = fields.Integer(string="Completed", compute="_compute_compliance", store=True)
    is_done_on_time = fields.Integer(string="Completed on time", compute="_compute_compliance", store=True)
    on_time_rate = fields.Float(
        string="On time (%)",
        compute="_compute_compliance",
        store=True,
        aggregator="avg",
        help="100 when the work order was completed on or before the due date, else 0.",
    )

    _once = models.UniqueIndex(
        "(job_id, due_date, equipment_id) NULLS NOT DISTINCT",
        "This job is already planned for this equipment on this date.",
    )
    _due_order = models.Index("(state, send_date)")
    _job_due = models.Index("(job_id, due_date)")

    @api.depends("job_id", "equipment_id", "due_date", "site_id")
    def _compute_display_name(self):
        for occ in self:
            where = occ.equipment_id.name or occ.site_id.name or ""
            occ.display_name = f"{occ.job_id.name} · {where} · {format_date(self.env, occ.due_date)}"

    @api.depends("work_order_id.state", "work_order_id.date_done", "due_date")
    def _compute_compliance(self):
        for occ in self:
            order = occ.work_order_id
            done = order.state == "done" and order.date_done
            on_time = False
            if done:
                tz = pytz.timezone(occ.company_id.partner_id.tz or "Europe/Amsterdam")
                on_time = pytz.utc.localize(order.date_done).astimezone(tz).date() <= occ.due_date
            occ.is_done = int(bool(done))
            occ.is_done_on_time = int(on_time)
            occ.on_time_rate = 100.0 if on_time else 0.0

    # ------------------------------------------------------------------
    # Planning (bulk)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_insert(self, job, targets, dates, state):
        """One occurrence per due date and target ``(equipment_id, site_id)``, in multi-row
        inserts; the ones that exist already (another run, another worker) are left alone."""
        rows = [(index, day, eq_id, site_id) for index, day in dates for eq_id, site_id in targets]
        return self._klusheeren_insert_rows(job, rows, state)

    @api.model
    def _klusheeren_insert_rows(self, job, rows, state):
        if not rows:
            return 0
        contractors, site_contractor = {}, None
        if not job.contractor_id:
            equipment = self.env["maintenance.equipment"].browse({r[2] for r in rows if r[2]})
            contractors = {eq.id: eq.contractor_id.id for eq in equipment}
            site_contractor = job.site_id.klusheeren_contractor_id.id
        lead = timedelta(days=job.lead_days)
        uid = self.env.uid
        inserted = 0
        company = job.company_id.id
        for batch in split_every(INSERT_BATCH, rows):
            params = []
            for index, day, eq_id, site_id in batch:
                contractor = job.contractor_id.id or (contractors.get(eq_id) if eq_id else site_contractor)
                params += (
                    job.id,
                    eq_id,
                    site_id or None,
                    contractor or None,
                    company,
                    day,
                    day - lead,
                    index,
                    state,
                    uid,
                    uid,
                )
            # one multi-row insert per batch, placeholders only (no value is ever formatted in)
            self.env.cr.execute(
                INSERT_SQL % ", ".join([INSERT_ROW] * len(batch)),
                params,
                log_exceptions=False,  # a concurrent planner's conflict is expected: the caller skips
            )
            inserted += len(self.env.cr.fetchall())
        job.invalidate_recordset(["occurrence_ids"])
        return inserted

    @api.model
    def _klusheeren_plan_after_done(self, job, targets, today, until):
        """ "N after the last one was completed": one occurrence at a time per target, due one
        interval after the previous work order was completed (or was due, when it was not)."""
        latest, counts = {}, {}
        domain = [("job_id", "=", job.id)]
        eq_ids = [eq_id for eq_id, _site in targets]
        if eq_ids and all(eq_ids):
            domain.append(("equipment_id", "in", eq_ids))
        for occ in self.search(domain, order="due_date desc, id desc"):
            key = occ.equipment_id.id or None
            latest.setdefault(key, occ)
            counts[key] = counts.get(key, 0) + 1
        rule = job._klusheeren_rule()
        first = job._klusheeren_due_dates(today, until)[:1]
        rows = []
        for eq_id, site_id in targets:
            prev = latest.get(eq_id)
            if not prev:
                if first:
                    rows.append((first[0][0], first[0][1], eq_id, site_id))
                continue
            order = prev.work_order_id
            if prev.state == "planned" or (prev.state == "ordered" and order.state in OPEN_STATES):
                continue  # the current one is not completed yet
            if order.state == "done" and order.date_done:
                tz = pytz.timezone(job.company_id.partner_id.tz or "Europe/Amsterdam")
                base = pytz.utc.localize(order.date_done).astimezone(tz).date()
            else:
                base = prev.due_date
            due = max(base + job._klusheeren_step(), today)
            index = counts[eq_id]
            if (rule["count"] and index >= rule["count"]) or (rule["date_end"] and due > rule["date_end"]):
                continue
            if due <= until:
                rows.append((index, due, eq_id, site_id))
        return self._klusheeren_insert_rows(job, rows, "planned")

    @api.model
    def _klusheeren_mark_missed(self, job, today):
        """Planned occurrences whose due date passed without a work order (the daily job did
        not run): listed for the back office, not created late on their own."""
        missed = self.search([("job_id", "=", job.id), ("state", "=", "planned"), ("due_date", "<", today)])
        missed.write({"state": "missed"})
        return missed

    def _klusheeren_forget(self):
        """Remove occurrences that were not sent: their draft work orders and tickets too."""
        drafts = self.work_order_id.filtered(lambda o: o.state == "draft")
        tickets = drafts.ticket_id
        # sudo: the planner's own records (the job's or the equipment's checked change replans)
        self.sudo().unlink()
        tickets.sudo().unlink()

    # ------------------------------------------------------------------
    # Work orders
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_order_due(self, jobs, commit=False):
        """Tickets and work orders of the occurrences whose lead time has come."""
        ordered = self.browse()
        for company in jobs.company_id:
            company_jobs = jobs.filtered_domain([("company_id", "=", company.id)])
            today = company_jobs[:1]._klusheeren_today()
            due = self.search(
                [
                    ("job_id", "in", company_jobs.ids),
                    ("state", "=", "planned"),
                    ("send_date", "<=", today),
                    ("due_date", ">=", today),
                ],
                order="due_date, id",
            )
            ordered |= due._klusheeren_order_safely(commit=commit)
        return ordered

    def _klusheeren_order_safely(self, commit=False):
        """``_klusheeren_order`` in batches; a batch that fails is tried one by one, so that
        one occurrence (or one ordered by another worker at the same time) never holds up the
        others. With ``commit`` (the cron worker), each batch is committed as it is done."""
        done = self.browse()
        batches = list(split_every(ORDER_BATCH, self.ids))
        for position, ids in enumerate(batches):
            if commit and position:
                left = sum(len(b) for b in batches[position:])
                if self.env["ir.cron"]._commit_progress(ORDER_BATCH, remaining=left) <= 0:
                    break  # out of time: the cron runs again for the rest
            batch = self.browse(ids)
            try:
                with self.env.cr.savepoint():
                    done |= batch._klusheeren_order()
                continue
            except PgError:
                _logger.info("A batch of occurrences failed as a whole; ordering them one by one", exc_info=True)
            for occ in batch:
                try:
                    with self.env.cr.savepoint():
                        done |= occ._klusheeren_order()
                except PgError as error:
                    _logger.info("Occurrence %s ordered elsewhere, skipped: %s", occ.id, error.pgcode)
                except UserError as error:
                    _logger.warning("Occurrence %s not ordered: %s", occ.id, error)
        else:
            if commit and batches:
                # all done: nothing remains, the cron worker does not loop again
                self.env["ir.cron"]._commit_progress(len(batches[-1]), remaining=0)
        return done

    def _klusheeren_claim(self):
        """Take these occurrences for this transaction: a concurrent run waits here for the
        first one and then fails to serialize (its batch is skipped); nothing is ordered twice."""
        if not self:
            return self
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """UPDATE klusheeren_recurring_occurrence
                  SET state = 'ordered', write_uid = %s, write_date = now() at time zone 'UTC'
                WHERE id IN %s AND state IN ('planned', 'missed')
            RETURNING id""",
                self.env.uid,
                tuple(self.ids),
            ),
            log_exceptions=False,
        )  # waiting for, then losing against, a concurrent run is expected
        claimed = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset(["state", "write_date", "write_uid"])
        return claimed

    def _klusheeren_order(self):
        """The same business step as a reported fault: a ticket (channel "Planned") and its
        work order, sent to the contractor at once when they have an e-mail address (the
        sending job composes the e-mail with the PDF), else a draft with an activity."""
        claimed = self._klusheeren_claim()
        if not claimed:
            return claimed
        channel = self.env.ref("klusheeren_recurring.helpdesk_ticket_channel_planned")
        # sudo (both): the planner's tickets and work orders, for the daily job and the back
        # office's buttons (each checks its caller); a back-office user sets no token or number
        Ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(
                klusheeren_no_auto_work_order=True,
                klusheeren_no_mail=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
        )
        tickets = Ticket.create([occ._klusheeren_ticket_values(channel) for occ in claimed])
        contractors = [occ._klusheeren_contractor(ticket) for occ, ticket in zip(claimed, tickets, strict=True)]
        WorkOrder = self.env["klusheeren.work.order"].sudo()
        reachable, unreachable = [], []
        for occ, ticket, contractor in zip(claimed, tickets, contractors, strict=True):
            if not contractor:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Planned work without a contractor"),
                    note=plaintext2html(
                        self.env._(
                            "No contractor is known for %(job)s: choose one and make the work order.",
                            job=occ.job_id.name,
                        )
                    ),
                    # the job's responsible, else the ticket's (assignee, team leader, team member);
                    # else an unassigned activity, for anyone of the back office to pick up
                    user_id=(occ.job_id.user_id or ticket._klusheeren_job_responsible()).id,
                )
                continue
            vals = occ._klusheeren_work_order_values(ticket, contractor)
            (reachable if contractor.email else unreachable).append(vals)
        orders = WorkOrder._create_sent(reachable) if reachable else WorkOrder
        drafts = WorkOrder.create(unreachable) if unreachable else WorkOrder
        for order in drafts:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Work order not sent: the contractor has no e-mail address"),
                note=plaintext2html(
                    self.env._(
                        "Add an e-mail address to %(contractor)s and send the work order, or pass it on by phone.",
                        contractor=order.contractor_id.name,
                    )
                ),
                user_id=order._klusheeren_job_responsible().id,  # none: an unassigned activity
            )
        by_ticket = {order.ticket_id.id: order for order in orders | drafts}
        for occ, ticket, contractor in zip(claimed, tickets, contractors, strict=True):
            order = by_ticket.get(ticket.id)
            occ.write(
                {
                    "ticket_id": ticket.id,
                    "work_order_id": order.id if order else False,
                    "contractor_id": contractor.id or False,
                }
            )
        return claimed

    def _klusheeren_contractor(self, ticket):
        """The job's contractor, else the responsibility rules' (``_klusheeren_contractor`` of
        the ticket, when the routing addon provides it), else the equipment's or site's."""
        self.ensure_one()
        if self.job_id.contractor_id:
            return self.job_id.contractor_id
        if hasattr(ticket, "_klusheeren_contractor"):
            contractor = ticket._klusheeren_contractor()
        else:
            contractor = ticket.equipment_id.contractor_id
        return contractor or self.site_id.klusheeren_contractor_id

    def _klusheeren_ticket_values(self, channel):
        self.ensure_one()
        job = self.job_id
        where = self.equipment_id.name or self.site_id.name
        return {
            "name": self.env._("%(job)s: %(where)s", job=job.name, where=where) if where else job.name,
            "description": job.description or plaintext2html(job.name),
            "equipment_id": self.equipment_id.id,
            "site_id": self.site_id.id,
            "channel_id": channel.id,
            "team_id": job.team_id.id,
            "user_id": job.user_id.id,
            "company_id": job.company_id.id,
        }

    def _klusheeren_work_order_values(self, ticket, contractor):
        self.ensure_one()
        job = self.job_id
        lang = contractor.lang or self.env.lang
        env = self.with_context(lang=lang).env
        due = Markup("<p><strong>%s</strong></p>") % env._(
            "Planned maintenance, due on %(date)s.",
            date=format_date(env, self.due_date, lang_code=lang, date_format="long"),
        )
        return {
            "ticket_id": ticket.id,
            "equipment_id": self.equipment_id.id,
            "contractor_id": contractor.id,
            "title": ticket.name,
            "description": ticket.description,
            "contractor_info": due + (job.instructions or ""),
            "recurring_job_id": job.id,
            "planned_date": self.due_date,
            "user_id": job.user_id.id or ticket.team_id.user_id.id,
            "company_id": job.company_id.id,
            "line_ids": [
                (0, 0, {"product_id": line.product_id.id, "name": line.name, "quantity": line.quantity})
                for line in job.line_ids
            ],
        }

    # ------------------------------------------------------------------
    # Back office
    # ------------------------------------------------------------------
    def _klusheeren_check_back_office(self):
        if not self.env.su and not self.env.user.has_group(BACK_OFFICE):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))

    def action_order_now(self):
        """A missed (or planned) occurrence: make and send its work order now."""
        self._klusheeren_check_back_office()
        todo = self.filtered(lambda o: o.state in ("planned", "missed"))
        if not todo:
            raise UserError(self.env._("These occurrences have their work order already or were skipped."))
        todo.sudo()._klusheeren_order()  # sudo: the back office, checked above
        return True

    def action_skip(self):
        """A missed occurrence that will not be done: it leaves the list."""
        self._klusheeren_check_back_office()
        # sudo: the back office, checked above; an occurrence's state is the planner's
        self.filtered(lambda o: o.state in ("planned", "missed")).sudo().write({"state": "skipped"})
        return True
