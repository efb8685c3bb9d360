# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.cron_tools import commit_progress, trigger_once

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th gives up
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8))
# a request wrote the record while the job took its lock: the job tries again at once
CONCURRENCY_ERRORS = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)
LOCK_TRIES = 5


class KlusheerenJobMixin(models.AbstractModel):
    """Records handled one by one by a scheduled job (e-mails, reminders, auto-close).

    One record that fails never holds up the others: each is processed in its own savepoint; a
    failure is rolled back for that record alone, logged as a warning, counted on the record and
    tried again later (after 5 minutes, 30 minutes, 2 and 8 hours). After MAX_ATTEMPTS the jobs
    give up on it: the record is flagged (search filter "Sending failed") and its responsible
    back-office user gets an activity. "Retry" on the record starts over.

    The one retry scheme of the KlusHeeren addons (SMS and the mail queue use it too): each
    model says its timings (``_klusheeren_job_delays``, ``_klusheeren_job_max_attempts``), what
    happens when the jobs give up (``_klusheeren_job_give_up``) and which job "Retry" wakes
    (``_klusheeren_job_cron``).
    """

    _name = "klusheeren.job.mixin"
    _description = "Processed one by one by scheduled jobs"

    # the wait after the 1st, 2nd ... failed attempt (the last one repeats)
    _klusheeren_job_delays = RETRY_DELAYS
    # the XML id of the scheduled job that processes this model: "Retry" wakes it
    _klusheeren_job_cron = None

    klusheeren_job_failures = fields.Integer(
        string="Failed attempts",
        readonly=True,
        copy=False,
        help="Failed attempts of a scheduled job (e-mail, reminder, auto-close) on this record.",
    )
    klusheeren_job_retry_at = fields.Datetime(string="Next attempt", readonly=True, copy=False)
    klusheeren_job_failed = fields.Boolean(
        string="Scheduled job failed",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A scheduled job gave up on this record: see its activity. Retry once the cause is fixed.",
    )
    klusheeren_job_error = fields.Text(string="Last failure", readonly=True, copy=False)

    @api.model
    def _klusheeren_job_max_attempts(self):
        """The attempts before the jobs give up on a record (override)."""
        return MAX_ATTEMPTS

    @api.model
    def _klusheeren_job_next_attempt(self, attempts):
        """When to try again after ``attempts`` failed attempts (``_klusheeren_job_delays``)."""
        delays = self._klusheeren_job_delays
        return fields.Datetime.now() + delays[min(max(attempts, 1), len(delays)) - 1]

    @api.model
    def _klusheeren_job_domain(self):
        """The records a job may try now: not given up on, not waiting for their next attempt."""
        return [
            ("klusheeren_job_failed", "=", False),
            "|",
            ("klusheeren_job_retry_at", "=", False),
            ("klusheeren_job_retry_at", "<=", fields.Datetime.now()),
        ]

    def _klusheeren_job_responsible(self):
        """The back-office user told when a job gives up on this record (override)."""
        return self.env["res.users"]

    def _klusheeren_job_run(self, process, job_label, commit_each=False):
        """Run ``process(record)`` for each record, each in its own savepoint; return the
        records it succeeded for. With ``commit_each`` (slow work such as a PDF), inside a cron
        job every attempt is counted and committed before it starts, and every record after it
        is done: a record that even kills the worker (time limit) is counted, so it is given up
        on in the end and never holds up the others; the job stops when its time is up.

        With ``commit_each`` the job never collides with the requests that write the same
        records (a reporter adding a photo, a contractor accepting): each record is locked
        at the start of its own short transaction (``_klusheeren_job_lock``) before the job
        writes it, so no ``SerializationFailure`` can hit the job or the request; a record
        the job cannot lock now is left for the job's next run, which follows at once."""
        done = self.browse()
        if commit_each and self:
            commit_progress(self.env)  # the caller's work is kept: each record starts afresh
        for record in self:
            if commit_each:
                if not record._klusheeren_job_lock():
                    continue
                if record.klusheeren_job_failures >= record._klusheeren_job_max_attempts():
                    # its last attempt never reported back: the worker died during it
                    record._klusheeren_job_failed(
                        job_label, self.env._("the attempt did not finish (time limit?)"), claimed=True
                    )
                    commit_progress(self.env)
                    continue
                record._klusheeren_job_claim()
                commit_progress(self.env)
                if not record._klusheeren_job_lock():
                    continue  # counted as an attempt: tried again after its delay
            try:
                with self.env.cr.savepoint():
                    process(record)
            except Exception as error:
                _logger.debug("%s: %s(%s) failed", job_label, self._name, record.id, exc_info=True)
                record._klusheeren_job_failed(job_label, f"{type(error).__name__}: {error}", claimed=commit_each)
            else:
                done |= record
                record._klusheeren_job_succeeded()
            if commit_each and commit_progress(self.env, 1) <= 0:
                break  # this run's time is up: the cron worker runs the job again for the rest
        return done

    def _klusheeren_job_lock(self):
        """Inside a cron job, right after a commit: lock the record's row for the transaction
        that starts, waiting for a request that holds it. A request that committed a change in
        the meantime makes the lock fail (repeatable read): the transaction starts again at
        once, quietly (no "bad query" in the log), a few times; then False (the job's next run
        takes the record). Outside a cron job (a button, a test): True, nothing locked."""
        self.ensure_one()
        if not self.env.context.get("ir_cron_progress_id"):
            return True
        query = SQL("SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE", SQL.identifier(self._table), self.id)
        for _try in range(LOCK_TRIES):
            try:
                self.env.cr.execute(query, log_exceptions=False)
                locked = bool(self.env.cr.fetchone())
                self.invalidate_recordset()  # what the job reads next is read under the lock
                return locked
            except CONCURRENCY_ERRORS:
                self.env.cr.rollback()
        _logger.info("%s(%s) is being written by others: left for the job's next run", self._name, self.id)
        return False

    def _klusheeren_job_book(self, vals):
        """Write the jobs' bookkeeping on these records: the ``klusheeren_job_*`` fields only
        (readonly for every user), for the records a job processes, or by "Retry" after its
        check. The one sudo() of the bookkeeping: a job may run in a reporter's or a contractor's
        request (an e-mail sent at once), whose user may not write the record."""
        if any(not name.startswith("klusheeren_job_") for name in vals):
            raise AccessError(self.env._("Only the jobs' own fields are written as their bookkeeping."))
        # sudo: the job's own fields only (checked above), never the record's data
        self.sudo().write(vals)

    def _klusheeren_job_claim(self):
        """Count an attempt and set the time of the next one."""
        attempts = self.klusheeren_job_failures + 1
        self._klusheeren_job_book(
            {
                "klusheeren_job_failures": attempts,
                "klusheeren_job_retry_at": self._klusheeren_job_next_attempt(attempts),
            }
        )

    def _klusheeren_job_failed(self, job_label, reason, claimed=False):
        """Count a failed attempt (unless ``claimed`` before it started); the last one flags
        the record and tells its responsible. (The savepoint's rollback cleared the cache.)"""
        self.ensure_one()
        if not claimed:
            self._klusheeren_job_claim()
        attempts = self.klusheeren_job_failures
        maximum = self._klusheeren_job_max_attempts()
        reason = (reason or "")[:2000]
        given_up = attempts >= maximum
        # a warning without traceback: one failing record is a condition the job handles, not
        # a crash of the job (the traceback is logged at debug level)
        _logger.warning(
            "%s: %s(%s) failed, attempt %s of %s%s: %s",
            job_label,
            self._name,
            self.id,
            attempts,
            maximum,
            ", giving up" if given_up else "",
            reason,
        )
        vals = {"klusheeren_job_error": reason}
        if given_up:
            vals.update(klusheeren_job_failed=True, klusheeren_job_retry_at=False)
        self._klusheeren_job_book(vals)
        if given_up:
            self._klusheeren_job_give_up(job_label, reason)

    def _klusheeren_job_succeeded(self):
        """An attempt succeeded: the count starts over."""
        counted = self.filtered(lambda r: r.klusheeren_job_failures or r.klusheeren_job_retry_at)
        if counted:
            counted._klusheeren_job_book(
                {"klusheeren_job_failures": 0, "klusheeren_job_retry_at": False, "klusheeren_job_error": False}
            )

    def _klusheeren_job_failures_counted(self, job_label, reason, retry=True):
        """For work that runs in batches elsewhere (core's SMS and mail sending): count a failed
        attempt on each record, set the time of its next one, or give up on it after its last
        attempt or at once (``retry=False``: a failure that no retry mends). Returns the
        records given up on, after ``_klusheeren_job_give_up``."""
        reason = (reason or "")[:2000]
        maximum = self._klusheeren_job_max_attempts()
        given_up = self.browse()
        for failures, records in self.grouped("klusheeren_job_failures").items():
            attempts = failures + 1
            vals = {"klusheeren_job_failures": attempts, "klusheeren_job_error": reason}
            if retry and attempts < maximum:
                vals["klusheeren_job_retry_at"] = self._klusheeren_job_next_attempt(attempts)
            else:
                vals.update(klusheeren_job_failed=True, klusheeren_job_retry_at=False)
                given_up |= records
            records._klusheeren_job_book(vals)
        if given_up:
            _logger.warning(
                "%s: %s %s(%s) given up: %s", job_label, len(given_up), self._name, given_up.ids[:20], reason
            )
            given_up._klusheeren_job_give_up(job_label, reason)
        return given_up

    def _klusheeren_job_give_up(self, job_label, reason):
        """The jobs gave up on these records (override): by default the back office is told."""
        for record in self:
            record._klusheeren_job_tell(job_label, reason)

    def _klusheeren_job_tell(self, job_label, reason):
        """A note in the chatter and an activity for the responsible back-office user."""
        user = self._klusheeren_job_responsible()
        # sudo: the system's note and activity for the back office, on a record a job gave up on
        record = self.sudo().with_context(lang=user.lang or self.env.lang)
        env = record.env
        summary = env._("%(job)s failed", job=job_label)
        note = env._(
            "%(job)s failed %(count)s times, the last time with: %(reason)s. Fix the cause, then "
            "press the retry button at the top of this record.",
            job=job_label,
            count=self._klusheeren_job_max_attempts(),
            reason=reason,
        )
        try:
            with self.env.cr.savepoint():
                record.message_post(body=Markup("<p>%s</p>") % note, subtype_xmlid="mail.mt_note")
                # without a responsible user the activity is unassigned, for anyone to pick up
                record.activity_schedule("mail.mail_activity_data_warning", summary=summary, note=note, user_id=user.id)
        except Exception as error:
            _logger.warning("%s: %s(%s): the back office could not be told: %s", job_label, self._name, self.id, error)

    def action_klusheeren_job_retry(self):
        """Back office: the cause is fixed, let the jobs try again now. Internal users with write
        access only (checked before the sudo: the method is reachable over JSON-RPC)."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only the back office can retry a scheduled job."))
        self.check_access("write")
        self._klusheeren_job_book(
            {
                "klusheeren_job_failed": False,
                "klusheeren_job_failures": 0,
                "klusheeren_job_retry_at": False,
                "klusheeren_job_error": False,
            }
        )
        if "activity_ids" in self._fields:
            self.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            ).action_feedback(feedback=self.env._("Retried"))
        if self._klusheeren_job_cron:
            trigger_once(self.env, self._klusheeren_job_cron)
        return True
