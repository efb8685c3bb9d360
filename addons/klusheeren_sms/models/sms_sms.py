import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools.settings import read as read_setting

from ..tools.gateway import KlusheerenSmsGateway

_logger = logging.getLogger(__name__)

RETRY_MINUTES = (1, 5, 15, 60, 240)  # waits after the 1st, 2nd, ... failed attempt
RETRY_CRON = "klusheeren_sms.ir_cron_sms_retry"
JOB_LABEL = "SMS gateway"


class SmsSms(models.Model):
    """Retried by the one retry scheme of ``klusheeren.job.mixin``: its failed attempts, next
    attempt and last failure; after the last attempt (or a refusal) the text goes by e-mail."""

    _name = "sms.sms"
    _inherit = ["sms.sms", "klusheeren.job.mixin"]
    _klusheeren_job_delays = tuple(timedelta(minutes=m) for m in RETRY_MINUTES)
    _klusheeren_job_cron = RETRY_CRON

    klusheeren_email_fallback = fields.Boolean(
        string="E-mail when it fails",
        default=True,
        help="When the SMS cannot be delivered to the gateway, the text is e-mailed to the contact.",
    )
    klusheeren_fallback_mail_id = fields.Many2one(
        "mail.mail", string="Sent by e-mail instead", readonly=True, copy=False, ondelete="set null"
    )

    def _split_by_api(self):
        """``sms.sms.send()``: every SMS through the configured gateway, never Odoo's IAP."""
        yield KlusheerenSmsGateway(self.env), self

    @api.model
    def _klusheeren_job_max_attempts(self):
        return read_setting(self.env, "klusheeren_sms.max_attempts")

    def _handle_call_result_hook(self, results):
        """After each gateway answer: count the attempt; a gateway that was unreachable or failed
        is tried again later (1, 5, 15 ... minutes), a refused SMS or the last attempt goes to
        the contact by e-mail."""
        res = super()._handle_call_result_hook(results)
        failed = self.filtered(lambda s: s.state == "error")
        (self - failed)._klusheeren_job_succeeded()
        for (failure_type, retry), group in failed.grouped(
            lambda s: (s.failure_type, s.failure_type == "sms_server")
        ).items():
            group._klusheeren_job_failures_counted(JOB_LABEL, failure_type or "error", retry=retry)
        retry_at = failed.filtered(lambda s: not s.klusheeren_job_failed).mapped("klusheeren_job_retry_at")
        if retry_at:
            self.env.ref(RETRY_CRON)._trigger(at=sorted(set(retry_at)))
        return res

    def _klusheeren_job_give_up(self, job_label, reason):
        """The last attempt failed, or the gateway refused the SMS: the text goes by e-mail."""
        self._klusheeren_fall_back_to_email()

    @api.model
    def _cron_klusheeren_retry(self):
        """SMS whose gateway failed, due for another attempt (locked: one worker each)."""
        # sudo: the job (private; its cron runs as the superuser), over every SMS that failed
        due = (
            self.sudo()
            .search(
                [
                    ("state", "=", "error"),
                    ("to_delete", "=", False),
                    ("klusheeren_job_retry_at", "!=", False),
                    *self._klusheeren_job_domain(),
                ],
                limit=self._get_send_batch_size(),
            )
            .try_lock_for_update()
        )
        if not due:
            return due
        due.action_set_outgoing()
        # the attempt starts: the next one is set again if it fails
        due._klusheeren_job_book({"klusheeren_job_retry_at": False})
        due.send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        return due

    def _klusheeren_fall_back_to_email(self):
        """The text of SMS that could not be sent, by e-mail to their contact (once), in the
        contact's language, linked to the record the SMS was about; a note on that record."""
        # sudo: the system's own fallback for an SMS it could not send, whoever's request sent
        # it: the e-mail to the SMS's own contact and the note on the SMS's own record
        system = self.sudo().env
        Mail = system["mail.mail"]
        for sms in self.filtered(lambda s: s.klusheeren_email_fallback and not s.klusheeren_fallback_mail_id):
            partner = sms.partner_id
            message = sms.mail_message_id
            if not partner.email:
                _logger.info("SMS %s failed and %s has no e-mail address", sms.id, partner.display_name)
                continue
            company = sms._get_sms_company()
            env = sms.with_context(lang=partner.lang or self.env.lang).env
            mail = Mail.create(
                {
                    "subject": message.subject or env._("Message from %(company)s", company=company.name),
                    "body_html": plaintext2html(sms.body or ""),
                    "email_from": company.email_formatted or message.email_from,
                    "recipient_ids": [(4, partner.id)],
                    "model": message.model or False,
                    "res_id": message.res_id or False,
                    "auto_delete": False,
                }
            )
            sms.klusheeren_fallback_mail_id = mail
            record = message.model and system[message.model].browse(message.res_id).exists()
            if record and hasattr(record, "_message_log"):
                record._message_log(
                    body=env._(
                        "The SMS to %(number)s could not be sent (%(reason)s): it was e-mailed to %(email)s.",
                        number=sms.number or "-",
                        reason=dict(sms._fields["failure_type"]._description_selection(env)).get(
                            sms.failure_type, sms.failure_type or "?"
                        ),
                        email=partner.email,
                    )
                )
