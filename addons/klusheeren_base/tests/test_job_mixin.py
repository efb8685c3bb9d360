# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one retry scheme (``klusheeren.job.mixin``) on every model that uses it, as installed:
the same fields, each model's own timings."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.klusheeren_job_mixin import MAX_ATTEMPTS, RETRY_DELAYS

MINUTES = timedelta(minutes=1)
# the timings the addons' own tests assert, per model (when the addon is installed)
TIMINGS = {
    "helpdesk.ticket": (RETRY_DELAYS, MAX_ATTEMPTS),
    "klusheeren.work.order": (RETRY_DELAYS, MAX_ATTEMPTS),
    "klusheeren.visit": (RETRY_DELAYS, MAX_ATTEMPTS),
    "sms.sms": (tuple(MINUTES * m for m in (1, 5, 15, 60, 240)), None),  # attempts: a setting
    "mail.mail": (tuple(MINUTES * m for m in range(1, 31)), 49),  # the first attempt and 48 retries
}
FIELDS = ("klusheeren_job_failures", "klusheeren_job_retry_at", "klusheeren_job_failed", "klusheeren_job_error")


@tagged("post_install", "-at_install")
class TestJobMixin(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        names = cls.env.registry.descendants(["klusheeren.job.mixin"], "_inherit")
        cls.models = sorted(name for name in names if not cls.env[name]._abstract)

    def test_one_set_of_fields(self):
        for name in self.models:
            with self.subTest(model=name):
                self.assertTrue(set(FIELDS) <= set(self.env[name]._fields))

    @freeze_time("2030-01-01 12:00:00")
    def test_each_model_keeps_its_timings(self):
        now = fields.Datetime.now()
        for name in self.models:
            if name not in TIMINGS:
                continue
            delays, maximum = TIMINGS[name]
            Model = self.env[name]
            with self.subTest(model=name):
                for attempts, delay in enumerate(delays, start=1):
                    self.assertEqual(Model._klusheeren_job_next_attempt(attempts), now + delay, attempts)
                self.assertEqual(
                    Model._klusheeren_job_next_attempt(len(delays) + 5), now + delays[-1], "the last repeats"
                )
                if maximum:
                    self.assertEqual(Model._klusheeren_job_max_attempts(), maximum)

    def test_failures_counted_then_given_up_then_reset(self):
        if "mail.mail" not in self.models:
            # klusheeren_base alone: the scheme on the models that use it is tested with them
            self.assertFalse(self.env["mail.mail"]._fields.get("klusheeren_job_failures"))
            return
        Mail = self.env["mail.mail"]
        mails = Mail.create(
            [{"email_to": f"r{i}@example.com", "subject": "x", "body_html": "<p>x</p>"} for i in range(2)]
        )
        with freeze_time("2030-01-01 12:00:00"):
            given_up = mails._klusheeren_job_failures_counted("test", "server down")
            self.assertFalse(given_up)
            self.assertEqual(mails.mapped("klusheeren_job_failures"), [1, 1])
            self.assertEqual(set(mails.mapped("klusheeren_job_retry_at")), {fields.Datetime.now() + MINUTES})
            self.assertEqual(set(mails.mapped("klusheeren_job_error")), {"server down"})
            # one record's count never moves the other's
            mails[0].klusheeren_job_failures = Mail._klusheeren_job_max_attempts() - 1
            given_up = mails._klusheeren_job_failures_counted("test", "still down")
        self.assertEqual(given_up, mails[0])
        self.assertTrue(mails[0].klusheeren_job_failed)
        self.assertFalse(mails[0].klusheeren_job_retry_at)
        self.assertFalse(mails[1].klusheeren_job_failed)
        self.assertEqual(mails[1].klusheeren_job_failures, 2)
        # a failure no retry mends: given up at once
        self.assertEqual(mails[1]._klusheeren_job_failures_counted("test", "refused", retry=False), mails[1])
        mails._klusheeren_job_succeeded()
        self.assertEqual(mails.mapped("klusheeren_job_failures"), [0, 0])
        self.assertFalse(any(mails.mapped("klusheeren_job_retry_at")))
