import logging
import smtplib
from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress, trigger_once

_logger = logging.getLogger(__name__)
CORE_LOGGER = logging.getLogger("odoo.addons.mail.models.mail_mail")


class _HandledHere(logging.Filter):
    """Drops core's log record of an exception that the caller handles itself (and logs)."""

    def __init__(self, exc_types):
        super().__init__()
        self.exc_types = exc_types

    def filter(self, record):
        return not (record.exc_info and isinstance(record.exc_info[1], self.exc_types))


@contextmanager
def _handled(*exc_types):
    """Core's ``_send`` logs a dead SMTP session as an error with its traceback before raising
    it; the caller queues the e-mails again instead (a warning): the error is not logged."""
    log_filter = _HandledHere(exc_types)
    CORE_LOGGER.addFilter(log_filter)
    try:
        yield
    finally:
        CORE_LOGGER.removeFilter(log_filter)


MAX_RETRIES = 48  # every 30 minutes: a day without mail server before giving up
JOB_LABEL = "Mail queue"
MAIL_QUEUE_JOB = "mail.ir_cron_mail_scheduler_action"
RETRY_JOB = "klusheeren_mail_queue.ir_cron_mail_retry"
# after a mail server failure, the e-mails are queued again after 1, 2, 3 ... minutes, at most 30
RETRY_STEP = timedelta(minutes=1)
RETRY_MAX_WAIT = timedelta(minutes=30)


class MailMail(models.Model):
    """Retried by the one retry scheme of ``klusheeren.job.mixin``: the failed attempts of an
    e-mail the mail server refused or could not be reached for, the next attempt, the last
    failure; given up on after the first attempt and ``MAX_RETRIES`` retries."""

    _name = "mail.mail"
    _inherit = ["mail.mail", "klusheeren.job.mixin"]
    # queued again after 1, 2, 3 ... minutes, at most 30
    _klusheeren_job_delays = tuple(RETRY_STEP * n for n in range(1, RETRY_MAX_WAIT // RETRY_STEP + 1))
    _klusheeren_job_cron = RETRY_JOB

    @api.model
    def _klusheeren_job_max_attempts(self):
        return MAX_RETRIES + 1  # the first attempt and its retries

    def _klusheeren_job_give_up(self, job_label, reason):
        """An e-mail given up on stays in ``exception``, in Settings > Technical > Emails."""

    @api.model_create_multi
    def create(self, vals_list):
        """Queued e-mails leave within seconds, not at the queue's next hourly run: the queue job
        is woken once per transaction, and sends them in its own worker, after the commit,
        never inside the request that queued them."""
        mails = super().create(vals_list)
        if any(m.state == "outgoing" and not m.scheduled_date for m in mails):
            trigger_once(self.env, MAIL_QUEUE_JOB)
        return mails

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """E-mails the mail server refused or could not be reached for are queued again soon: the
        retry job is woken after 1 minute, then 2, 3 ... (at most 30) for e-mails that failed
        again, instead of at its next half-hourly run. The failing e-mails stay in
        ``exception`` until then (as in core): a mail server that is down is not hammered."""
        outgoing = self.filtered(lambda m: m.state == "outgoing")
        res = super().send(
            auto_commit=auto_commit, raise_exception=raise_exception, post_send_callback=post_send_callback
        )
        failed = outgoing.exists().filtered_domain(self._klusheeren_retry_domain())
        if failed:
            failed._klusheeren_job_failures_counted(JOB_LABEL, failed[0].failure_reason or "mail server failure")
            retry_at = failed.filtered(lambda m: not m.klusheeren_job_failed).mapped("klusheeren_job_retry_at")
            if retry_at:
                self.env.ref(RETRY_JOB)._trigger(min(retry_at))
        return res

    def _send(
        self,
        auto_commit=False,
        raise_exception=False,
        smtp_session=None,
        alias_domain_id=False,
        mail_server=False,
        post_send_callback=None,
    ):
        """One e-mail at a time on the batch's SMTP session, which is checked before each
        (NOOP): a mail server that goes away in the middle of a batch fails the rest of it as a
        connection failure does (``exception``/``mail_smtp``, queued again by the retry job),
        quietly, instead of core's traceback on the dead session ("Failed processing mail
        queue", the e-mail being sent left in ``exception`` as "unknown", never retried)."""
        if not smtp_session or not hasattr(smtp_session, "noop") or raise_exception:
            return super()._send(
                auto_commit=auto_commit,
                raise_exception=raise_exception,
                smtp_session=smtp_session,
                alias_domain_id=alias_domain_id,
                mail_server=mail_server,
                post_send_callback=post_send_callback,
            )
        for index, mail in enumerate(self):
            reason = self._klusheeren_session_gone(smtp_session)
            if reason:
                rest = self[index:].exists().filtered(lambda m: m.state == "outgoing")
                _logger.warning(
                    "Mail server gone during a batch (%s): %s e-mail(s) queued again later", reason, len(rest)
                )
                rest.write({"state": "exception", "failure_reason": reason})
                rest._postprocess_sent_message(success_pids=[], success_emails=[], failure_type="mail_smtp")
                break
            if not mail.exists():
                continue
            try:
                with _handled(smtplib.SMTPServerDisconnected):
                    super(MailMail, mail)._send(
                        auto_commit=auto_commit,
                        raise_exception=raise_exception,
                        smtp_session=smtp_session,
                        alias_domain_id=alias_domain_id,
                        mail_server=mail_server,
                        post_send_callback=post_send_callback,
                    )
            except smtplib.SMTPServerDisconnected as error:
                # gone while this one was being sent (after the NOOP): it and the rest, again later
                rest = mail | self[index + 1 :].exists().filtered(lambda m: m.state == "outgoing")
                _logger.warning(
                    "Mail server gone while sending (%s): %s e-mail(s) queued again later", error, len(rest)
                )
                rest.write({"state": "exception", "failure_type": False, "failure_reason": str(error)})
                rest._postprocess_sent_message(success_pids=[], success_emails=[], failure_type="mail_smtp")
                break
        return True

    @api.model
    def _klusheeren_session_gone(self, smtp_session):
        """Why the SMTP session cannot send any more, or False."""
        try:
            code, message = smtp_session.noop()
        except (smtplib.SMTPException, OSError) as error:
            return f"{type(error).__name__}: {error}"
        return False if code == 250 else f"{code} {message}"

    @api.model
    def _klusheeren_hold_mail_queue(self):
        """Lock the mail queue job's row for this transaction, as the cron worker does while it
        runs the job: False when the queue is running (it holds the row), so that this job and
        the queue never write the same e-mails at the same time (no SerializationFailure)."""
        queue = self.env.ref(MAIL_QUEUE_JOB)
        query = SQL("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", queue.id)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                return bool(self.env.cr.fetchone())
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            return False  # the queue ran meanwhile

    @api.model
    def _klusheeren_retry_domain(self):
        """E-mails that failed for the mail server (not for a bad address), not given up on."""
        return [
            ("state", "=", "exception"),
            ("failure_type", "in", (False, "mail_smtp")),
            ("klusheeren_job_failed", "=", False),
        ]

    @api.model
    def _cron_klusheeren_retry_smtp_failures(self, limit=1000):
        """A mail server that is down delays e-mails, it does not lose them.

        Odoo marks the e-mails of a batch it could not even connect for as failed; put those
        (not the ones with a bad address) back in the queue, a limited number of times. In
        batches of ``limit``: the cron worker runs the job again while more are waiting.
        """
        if not self._klusheeren_hold_mail_queue():
            # the mail queue is sending now: never write the e-mails it is writing; a minute later
            self.env.ref(RETRY_JOB)._trigger(fields.Datetime.now() + RETRY_STEP)
            return self.browse()
        domain = self._klusheeren_retry_domain()
        # sudo: the job (private; its cron runs as the superuser), over every failed e-mail
        Mail = self.sudo()
        mails = Mail.search(domain, limit=limit, order="id")
        mails.write({"state": "outgoing", "failure_reason": False, "klusheeren_job_retry_at": False})
        if mails:
            trigger_once(self.env, MAIL_QUEUE_JOB)
        remaining = Mail.search_count(domain) if len(mails) == limit else 0
        commit_progress(self.env, len(mails), remaining=remaining)
        return mails
