import json
import os
import socket
import tempfile
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .fake_gateway import FakeGateway


@tagged("post_install", "-at_install")
class TestSmsGateway(TransactionCase):
    """Every SMS Odoo sends reaches the configured gateway (a fake MessageBird on 127.0.0.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeGateway(key="kh-test-key").start()
        cls.addClassCleanup(cls.gateway.stop)
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_sms.gateway_url", cls.gateway.url)
        ICP.set_param("klusheeren_sms.gateway_key", "kh-test-key")
        ICP.set_param("klusheeren_sms.originator", "KlusHeeren")
        ICP.set_param("klusheeren_sms.max_attempts", 3)
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["klusheeren_sms"], ["nl_NL"], overwrite=True)
        cls.env.company.email = "info@klusheeren.nl"
        cls.partner = cls.env["res.partner"].create(
            {"name": "Douwe Demo", "phone": "+31 6 12345678", "email": "douwe@example.com", "lang": "nl_NL"}
        )
        cls.Sms = cls.env["sms.sms"]
        cls.retry_cron = cls.env.ref("klusheeren_sms.ir_cron_sms_retry")

    def setUp(self):
        super().setUp()
        self.gateway.received.clear()
        self.gateway.fail_with.clear()

    def _post_sms(self, body="Uw afspraak is morgen om 10:00.", partner=None):
        partner = partner or self.partner
        message = partner._message_sms(body, partner_ids=partner.ids)
        return self.Sms.search([("mail_message_id", "=", message.id)])

    def _payloads(self):
        return [payload for _headers, payload in self.gateway.received]

    def test_message_sms_goes_to_the_gateway_in_messagebird_format(self):
        sms = self._post_sms()
        self.assertEqual(len(self.gateway.received), 1)
        headers, payload = self.gateway.received[0]
        self.assertEqual(headers["Authorization"], "AccessKey kh-test-key")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(
            payload,
            {
                "originator": "KlusHeeren",
                "recipients": ["31612345678"],
                "body": "Uw afspraak is morgen om 10:00.",
                "reference": sms.uuid,
            },
        )
        self.assertEqual(sms.number, "+31612345678", "normalised to E.164 by phone_validation")
        self.assertEqual(sms.state, "pending")
        self.assertTrue(sms.to_delete)
        self.assertEqual(sms.klusheeren_job_failures, 0, "no failed attempt")
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "pending")

    def test_the_queue_job_sends_through_the_gateway_too(self):
        sms = self.Sms.create({"number": "+31612345679", "body": "Uit de wachtrij", "partner_id": self.partner.id})
        self.assertEqual(sms.state, "outgoing")
        # what the queue job (_process_queue, which commits) does with it: _send without an API
        sms._send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        self.assertEqual(self._payloads()[0]["recipients"], ["31612345679"])
        self.assertEqual(self._payloads()[0]["body"], "Uit de wachtrij")
        self.assertEqual(sms.state, "pending")
        # and the API class the rest of Odoo asks the company for (marketing tests, composer)
        api = self.env.company._get_sms_api_class()(self.env)
        result = api._send_sms_batch([{"content": "Test", "numbers": [{"number": "+31612345670", "uuid": "u1"}]}])
        self.assertEqual(result, [{"uuid": "u1", "state": "success", "failure_reason": False}])

    def test_gateway_down_is_retried_then_sent(self):
        self.gateway.fail_with[:] = [503]
        start = fields.Datetime.now()
        with freeze_time(start):
            sms = self._post_sms()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_server")
        self.assertFalse(sms.to_delete)
        self.assertEqual(sms.klusheeren_job_failures, 1)
        self.assertEqual(sms.klusheeren_job_error, "sms_server")
        self.assertEqual(sms.klusheeren_job_retry_at, start + timedelta(minutes=1))
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", self.retry_cron.id)])
        self.assertIn(start + timedelta(minutes=1), trigger.mapped("call_at"), "the retry job is woken at that time")
        with freeze_time(start + timedelta(seconds=30)):
            self.assertFalse(self.Sms._cron_klusheeren_retry(), "not due yet")
        with freeze_time(start + timedelta(minutes=1)):
            self.assertEqual(self.Sms._cron_klusheeren_retry(), sms)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.klusheeren_job_failures, 0, "sent: the count starts over")
        self.assertEqual(len(self.gateway.received), 2)
        self.assertEqual(self._payloads()[0], self._payloads()[1], "the same SMS, the same reference")
        self.assertFalse(sms.klusheeren_fallback_mail_id)

    def test_gateway_down_for_good_falls_back_to_email(self):
        self.gateway.fail_with[:] = [500, 502, 503]
        start = fields.Datetime.now()
        with freeze_time(start):
            sms = self._post_sms("Herinnering: afspraak op 12 maart.")
        with freeze_time(start + timedelta(minutes=1)):
            self.Sms._cron_klusheeren_retry()
        self.assertEqual(sms.klusheeren_job_retry_at, start + timedelta(minutes=6))
        self.assertFalse(sms.klusheeren_fallback_mail_id)
        with freeze_time(start + timedelta(minutes=6)):
            self.Sms._cron_klusheeren_retry()
        self.assertEqual(sms.klusheeren_job_failures, 3)
        self.assertTrue(sms.klusheeren_job_failed, "given up")
        self.assertEqual(sms.state, "error")
        self.assertFalse(sms.klusheeren_job_retry_at, "three attempts: no more")
        mail = sms.klusheeren_fallback_mail_id
        self.assertTrue(mail)
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("Herinnering: afspraak op 12 maart.", mail.body_html)
        self.assertEqual(mail.subject, f"Bericht van {self.env.company.name}", "in the contact's language")
        self.assertEqual((mail.model, mail.res_id), ("res.partner", self.partner.id))
        note = self.partner.message_ids.filtered(lambda m: "douwe@example.com" in (m.body or ""))
        self.assertEqual(len(note), 1)
        with freeze_time(start + timedelta(hours=2)):
            self.assertFalse(self.Sms._cron_klusheeren_retry())
        self.assertEqual(len(self.gateway.received), 3)
        self.assertEqual(self.env["mail.mail"].search_count([("id", "=", mail.id)]), 1, "e-mailed once")

    def test_wrong_key_is_not_retried_and_falls_back_to_email(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_sms.gateway_key", "wrong")
        sms = self._post_sms()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_acc")
        self.assertFalse(sms.klusheeren_job_retry_at)
        self.assertTrue(sms.klusheeren_fallback_mail_id)

    def test_unreachable_gateway_is_retried(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed_port = s.getsockname()[1]
        self.env["ir.config_parameter"].sudo().set_param(
            "klusheeren_sms.gateway_url", f"http://127.0.0.1:{closed_port}/messages"
        )
        sms = self._post_sms()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertTrue(sms.klusheeren_job_retry_at)
        self.assertFalse(sms.klusheeren_fallback_mail_id)

    def test_refused_number_falls_back_to_email_at_once(self):
        partner = self.partner.copy({"phone": "+3161", "email": "kort@example.com"})
        sms = self.Sms.create({"number": "+3161", "body": "Kort nummer", "partner_id": partner.id})
        sms.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertFalse(sms.klusheeren_job_retry_at)
        self.assertEqual(sms.klusheeren_fallback_mail_id.recipient_ids, partner)

    def test_no_fallback_when_the_email_went_already(self):
        self.gateway.fail_with[:] = [401]
        sms = self.Sms.create(
            {
                "number": "+31612345678",
                "body": "Ook per e-mail",
                "partner_id": self.partner.id,
                "klusheeren_email_fallback": False,
            }
        )
        sms.send()
        self.assertEqual(sms.state, "error")
        self.assertFalse(sms.klusheeren_fallback_mail_id)

    def test_fake_gateway_keeps_each_sms_as_a_file(self):
        with tempfile.TemporaryDirectory() as directory:
            gateway = FakeGateway(key="k", directory=directory).start()
            try:
                self.env["ir.config_parameter"].sudo().set_param("klusheeren_sms.gateway_url", gateway.url)
                self.env["ir.config_parameter"].sudo().set_param("klusheeren_sms.gateway_key", "k")
                self._post_sms("Bestand")
            finally:
                gateway.stop()
            files = os.listdir(directory)
            self.assertEqual(len(files), 1)
            with open(os.path.join(directory, files[0]), encoding="utf-8") as f:
                record = json.load(f)
            self.assertEqual((record["to"], record["body"], record["from"]), (["31612345678"], "Bestand", "KlusHeeren"))
