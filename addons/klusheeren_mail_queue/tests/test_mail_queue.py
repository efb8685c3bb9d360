import smtplib
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.base.models.ir_mail_server import IrMail_Server
from odoo.addons.base.tests.common import BaseCommon, MockSmtplibCase

from ..models.mail_mail import MAX_RETRIES


@tagged("post_install", "-at_install")
class TestMailQueue(BaseCommon, MockSmtplibCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Mail = cls.env["mail.mail"]
        cls.queue = cls.env.ref("mail.ir_cron_mail_scheduler_action")
        cls.retry_job = cls.env.ref("klusheeren_mail_queue.ir_cron_mail_retry")
        cls.Trigger = cls.env["ir.cron.trigger"].sudo()

    def new_mails(self, count=1, **vals):
        return self.Mail.create(
            [
                {"email_to": f"r{i}@example.com", "subject": f"Mail {i}", "body_html": "<p>x</p>", **vals}
                for i in range(count)
            ]
        )

    def queue_triggers(self):
        return self.Trigger.search_count([("cron_id", "=", self.queue.id)])

    def test_queued_mails_wake_the_queue_once_per_transaction(self):
        before = self.queue_triggers()
        self.new_mails(3)
        self.new_mails(2)
        self.assertEqual(self.queue_triggers(), before + 1, "woken once, however many e-mails")

    def test_scheduled_mails_do_not_wake_the_queue(self):
        before = self.queue_triggers()
        self.new_mails(scheduled_date=fields.Datetime.now() + timedelta(days=1))
        self.assertEqual(self.queue_triggers(), before)

    def test_mail_server_down_delays_mails_and_loses_none(self):
        mails = self.new_mails(2)
        bad_address = self.new_mails(email_to="not-an-address")
        bad_address.write({"state": "exception", "failure_type": "mail_email_invalid"})
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("server down")):
            mails.send(raise_exception=False)
        self.assertEqual(mails.mapped("state"), ["exception", "exception"])
        self.assertIn("server down", mails[0].failure_reason)

        self.Mail._cron_klusheeren_retry_smtp_failures()
        self.assertEqual(mails.mapped("state"), ["outgoing", "outgoing"], "back in the queue")
        self.assertEqual(mails.mapped("klusheeren_job_failures"), [1, 1])
        self.assertFalse(mails[0].failure_reason)
        self.assertEqual(bad_address.state, "exception", "a bad address is never retried")
        self.assertEqual(bad_address.klusheeren_job_failures, 0)

    def test_a_mail_server_failure_wakes_the_retry_job_within_minutes(self):
        mails = self.new_mails(2)
        retry_triggers = [("cron_id", "=", self.retry_job.id)]
        before = self.Trigger.search(retry_triggers)
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("server down")):
            mails.send(raise_exception=False)
        trigger = self.Trigger.search(retry_triggers) - before
        self.assertEqual(len(trigger), 1)
        wait = trigger.call_at - fields.Datetime.now()
        self.assertTrue(timedelta(seconds=30) < wait <= timedelta(minutes=1), wait)
        # failed again after 3 retries: 4 minutes
        mails.write({"state": "exception", "klusheeren_job_failures": 3})
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("server down")):
            mails.write({"state": "outgoing"})
            mails.send(raise_exception=False)
        later = self.Trigger.search(retry_triggers) - before - trigger
        self.assertTrue(timedelta(minutes=3) < later.call_at - fields.Datetime.now() <= timedelta(minutes=4))
        # sent: nothing to retry
        with self.mock_smtplib_connection():
            self.new_mails().send(raise_exception=False)
        self.assertEqual(self.Trigger.search(retry_triggers) - before, trigger | later)

    def test_a_mail_server_gone_in_the_middle_of_a_batch_fails_the_rest_quietly(self):
        """The server accepts two e-mails, then goes away: the rest of the batch is queued again
        as after a connection failure, without an error in the log; nothing is lost."""
        mails = self.new_mails(5)
        with self.mock_smtplib_connection():
            answers = iter([(250, b"ok"), (250, b"ok")])

            def noop():
                answer = next(answers, None)
                if answer is None:
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
                return answer

            self.testing_smtp_session.noop = noop
            with self.assertNoLogs("odoo.addons.mail.models.mail_mail", level="ERROR"):
                mails.send(raise_exception=False)
        self.assertEqual(len(self.emails), 2)
        sent, rest = mails[:2], mails[2:]
        self.assertEqual(set(sent.exists().mapped("state")), {"sent"})
        self.assertEqual(set(rest.mapped("state")), {"exception"})
        self.assertEqual(rest.filtered_domain(self.Mail._klusheeren_retry_domain()), rest, "retried")
        self.Mail._cron_klusheeren_retry_smtp_failures()
        with self.mock_smtplib_connection():
            self.testing_smtp_session.noop = lambda: (250, b"ok")
            rest.send(raise_exception=False)
        self.assertEqual(len(self.emails), 3, "the rest sent once, nothing twice")

    def test_a_mail_server_gone_while_sending_queues_it_again_quietly(self):
        mails = self.new_mails(3)
        with self.mock_smtplib_connection():
            self.testing_smtp_session.noop = lambda: (250, b"ok")
            sent = []

            def send_message(message, smtp_from, smtp_to_list):
                if sent:
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
                sent.append(smtp_to_list)

            self.testing_smtp_session.send_message = send_message
            with self.assertNoLogs("odoo.addons.mail.models.mail_mail", level="ERROR"):
                mails.send(raise_exception=False)
        self.assertEqual(len(sent), 1)
        rest = mails[1:]
        self.assertEqual(set(rest.mapped("state")), {"exception"})
        self.assertEqual(rest.filtered_domain(self.Mail._klusheeren_retry_domain()), rest, "retried later")

    def test_retries_are_bounded(self):
        mail = self.new_mails()
        # the first attempt and MAX_RETRIES - 1 retries failed: the last retry is still made
        mail.write({"state": "exception", "klusheeren_job_failures": MAX_RETRIES})
        self.Mail._cron_klusheeren_retry_smtp_failures()
        self.assertEqual(mail.state, "outgoing")
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("server down")):
            mail.send(raise_exception=False)
        self.assertEqual((mail.state, mail.klusheeren_job_failures), ("exception", MAX_RETRIES + 1))
        self.assertTrue(mail.klusheeren_job_failed)
        self.Mail._cron_klusheeren_retry_smtp_failures()
        self.assertEqual(mail.state, "exception", "given up after a day of retries")

    def test_the_job_works_in_batches_until_none_remain(self):
        """Run by the cron worker (Odoo's progress API): batch after batch in one run."""
        mails = self.new_mails(5)
        mails.write({"state": "exception"})
        self.retry_job.code = "model._cron_klusheeren_retry_smtp_failures(limit=2)"
        Progress = self.env["ir.cron.progress"]
        before = Progress.search([("cron_id", "=", self.retry_job.id)])
        with self.enter_registry_test_mode():
            self.retry_job.method_direct_trigger()
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        runs = Progress.search([("cron_id", "=", self.retry_job.id), ("id", "not in", before.ids)], order="id")
        self.assertEqual(runs.mapped("done"), [2, 2, 1], "three batches in one run of the job")
        self.assertEqual(runs[-1].remaining, 0)
        self.assertEqual(self.retry_job.failure_count, 0)
