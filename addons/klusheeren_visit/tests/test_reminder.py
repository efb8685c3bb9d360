from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import VisitCase, utc


@tagged("post_install", "-at_install")
class TestReminder(VisitCase):
    """The reminder, with frozen time: N days before at the reminder hour in the location's time."""

    def setUp(self):
        super().setUp()
        self.gateway.received.clear()
        self.Visit = self.env["klusheeren.visit"]
        self.cron = self.env.ref("klusheeren_visit.ir_cron_visit_reminder")

    def send_sms_queue(self):
        """What the SMS queue job does (``_process_queue`` commits, which a test cannot)."""
        queued = self.env["sms.sms"].search([("state", "=", "outgoing"), ("to_delete", "=", False)])
        queued._send(unlink_failed=False, unlink_sent=True, raise_exception=False)

    def triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).mapped("call_at")

    def test_three_days_before_at_ten_in_the_locations_time(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order()
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
            self.assertEqual(len(visit), 1)
            self.assertEqual(visit.partner_id, order.ticket_id.partner_id)
            self.assertEqual(visit.reminder_state, "scheduled")
            self.assertEqual(visit.reminder_at, utc(2030, 3, 7, 10, 0), "3 days before, 10:00 Dutch time")
            self.assertEqual(visit.reminder_at, datetime(2030, 3, 7, 9, 0))
            self.assertIn(visit.reminder_at, self.triggers(), "the job is woken at that exact moment")
            planned = self.visit_mails(visit)
            self.assertEqual(len(planned), 1, "the appointment e-mail, with the page link")
            self.assertIn(f"/my/visits/{visit.id}?access_token={visit.access_token}", planned.body_html)
            self.assertNotIn(order.access_token, planned.body_html, "never the contractor's token")
            self.assertIn("Afspraak gepland voor uw melding", planned.subject)
        with freeze_time("2030-03-07 08:59:00"):
            self.assertFalse(self.Visit._cron_send_reminders())
        with freeze_time("2030-03-07 09:00:00"):
            self.assertEqual(self.Visit._cron_send_reminders(), visit)
        self.assertEqual(visit.reminder_state, "sent")
        self.assertEqual(visit.reminder_sent_at, datetime(2030, 3, 7, 9, 0))
        mails = self.visit_mails(visit) - planned
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, visit.partner_id)
        self.assertIn("Herinnering: afspraak op", mails.subject)
        self.assertIn("zondag 10 maart 2030, 14:30", mails.subject, "in Dutch, in Dutch time")
        self.assertIn(f"/my/visits/{visit.id}?access_token={visit.access_token}", mails.body_html)
        self.assertFalse(self.visit_sms(visit), "e-mail only: no SMS")
        with freeze_time("2030-03-08 09:00:00"):
            self.assertFalse(self.Visit._cron_send_reminders(), "sent once")
        self.assertEqual(len(self.visit_mails(visit)), 2)

    def test_moved_appointment_reschedules_and_resets_the_confirmation(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order()
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
            visit.portal_confirm(visit.access_token)
            self.assertEqual(visit.state, "confirmed")
            self.assertTrue(visit.date_confirmed)
            self.plan(order, utc(2030, 3, 20, 9, 0))
            self.assertEqual(order.klusheeren_visit_ids, visit, "the same visit, moved")
            self.assertEqual(visit.appointment_date, utc(2030, 3, 20, 9, 0))
            self.assertEqual(visit.state, "planned", "the confirmation was for the old time")
            self.assertFalse(visit.date_confirmed)
            self.assertEqual(visit.reminder_at, utc(2030, 3, 17, 10, 0))
            self.assertIn(utc(2030, 3, 17, 10, 0), self.triggers())
        with freeze_time("2030-03-07 09:00:00"):
            self.assertFalse(self.Visit._cron_send_reminders(), "nothing at the old moment")
        with freeze_time("2030-03-17 09:00:00"):
            self.assertEqual(self.Visit._cron_send_reminders(), visit)
        # moved after the reminder went: a new reminder for the new date
        with freeze_time("2030-03-18 09:00:00"):
            self.plan(order, utc(2030, 3, 25, 9, 0))
            self.assertEqual(visit.reminder_state, "scheduled")
            self.assertEqual(visit.reminder_at, utc(2030, 3, 22, 10, 0))

    def test_past_or_too_close_appointment_gets_no_reminder(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order()
            visit = self.plan(order, utc(2030, 2, 27, 10, 0))
            self.assertEqual(visit.reminder_state, "skipped")
            self.assertFalse(visit.reminder_at)
            self.assertEqual(visit.reminder_note, "The appointment is past.")
            self.plan(order, datetime(2030, 3, 1, 18, 0))  # in six hours
            self.assertEqual(visit.reminder_state, "skipped")
            self.assertEqual(visit.reminder_note, "The appointment is too close for a reminder.")
        with freeze_time("2030-03-10 12:00:00"):
            self.assertFalse(self.Visit._cron_send_reminders())
        self.assertFalse(self.visit_sms(visit))

    def test_late_reminder_waits_for_a_decent_hour(self):
        # planned at 23:30 Dutch time for the day after tomorrow: 3 days before is past
        with freeze_time(utc(2030, 3, 1, 23, 30)):
            order = self.new_order()
            visit = self.plan(order, utc(2030, 3, 3, 15, 0))
            self.assertEqual(visit.reminder_at, utc(2030, 3, 2, 8, 0), "the next morning at 8, not at night")
        with freeze_time(utc(2030, 3, 2, 7, 59)):
            self.assertFalse(self.Visit._cron_send_reminders())
        with freeze_time(utc(2030, 3, 2, 8, 0)):
            self.assertEqual(self.Visit._cron_send_reminders(), visit)

    def test_closed_work_order_is_not_reminded(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order()
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
            order.action_cancel()
        with freeze_time("2030-03-07 09:00:00"):
            self.assertFalse(self.Visit._cron_send_reminders())
        self.assertEqual(visit.reminder_state, "skipped")

    def test_sms_reminder_reaches_the_gateway(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order(channel="sms")
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
            self.assertFalse(self.visit_mails(visit), "SMS only: the appointment message is an SMS too")
            self.send_sms_queue()
        with freeze_time("2030-03-07 09:00:00"):
            self.Visit._cron_send_reminders()
            self.send_sms_queue()
        self.assertFalse(self.visit_mails(visit))
        payloads = [payload for _headers, payload in self.gateway.received]
        self.assertEqual(len(payloads), 2)
        reminder = payloads[1]
        self.assertEqual(reminder["recipients"], ["31612345678"], "06 12345678 normalised")
        self.assertEqual(reminder["originator"], "KlusHeeren")
        self.assertTrue(
            reminder["body"].startswith(
                "KlusHeeren b.v.: herinnering, Koeltechniek Jansen komt voor Koelkast 2.21"
                " op zondag 10 maart 2030, 14:30."
            ),
            reminder["body"],
        )
        self.assertIn(f"/my/visits/{visit.id}?access_token={visit.access_token}", reminder["body"])
        sms = self.visit_sms(visit)
        self.assertEqual(sms.mapped("state"), ["pending", "pending"])
        self.assertIn("SMS", visit.message_ids[0].body + visit.message_ids[1].body)

    def test_failing_sms_falls_back_to_email(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_sms.gateway_key", "wrong-key")
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order(channel="sms")
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
        with freeze_time("2030-03-07 09:00:00"):
            self.Visit._cron_send_reminders()
            self.send_sms_queue()
        sms = self.visit_sms(visit)
        self.assertEqual(sms.mapped("failure_type"), ["sms_acc", "sms_acc"])
        mails = sms.mapped("klusheeren_fallback_mail_id")
        self.assertEqual(len(mails), 2, "each failed SMS went by e-mail")
        self.assertEqual(mails.recipient_ids, visit.partner_id)
        self.assertIn(f"/my/visits/{visit.id}?access_token={visit.access_token}", mails[1].body_html)
        self.assertIn("herinnering", mails[1].body_html)

    def test_both_channels_and_no_double_fallback(self):
        self.gateway.fail_with[:] = [401, 401]
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order(channel="both")
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
        with freeze_time("2030-03-07 09:00:00"):
            self.Visit._cron_send_reminders()
            self.send_sms_queue()
        self.assertEqual(len(self.visit_mails(visit)), 2, "appointment and reminder e-mails, no fallback copies")
        sms = self.visit_sms(visit)
        self.assertEqual(len(sms), 2)
        self.assertFalse(sms.mapped("klusheeren_fallback_mail_id"))

    def test_sms_chosen_without_mobile_number_goes_by_email(self):
        with freeze_time("2030-03-01 12:00:00"):
            order = self.new_order(channel="sms", phone=False)
            visit = self.plan(order, utc(2030, 3, 10, 14, 30))
        self.assertEqual(len(self.visit_mails(visit)), 1)
        self.assertFalse(self.visit_sms(visit))

    def test_report_form_channel_is_set_on_a_new_contact_only(self):
        ticket = self.Ticket._klusheeren_create_report(
            self.equipment, "Lekt", "Nieuwe Melder", "nieuw@example.com", "0612345678", [], notify_channel="both"
        )
        self.assertEqual(ticket.partner_id.klusheeren_notify_channel, "both")
        ticket.partner_id.klusheeren_notify_channel = "email"
        again = self.Ticket._klusheeren_create_report(
            self.equipment, "Lekt weer", "Iemand", "nieuw@example.com", "0612345678", [], notify_channel="sms"
        )
        self.assertEqual(again.partner_id, ticket.partner_id)
        self.assertEqual(again.partner_id.klusheeren_notify_channel, "email", "someone else's choice is kept")

    def test_one_failing_reminder_of_three_never_blocks_the_other_two(self):
        """The reminder job on ``klusheeren.job.mixin``: the visit that fails is rolled back alone,
        counted and retried later (after the 5th failure its responsible gets an activity)."""
        with freeze_time("2030-03-01 12:00:00"):
            visits = self.Visit
            for email in ("een@example.com", "twee@example.com", "drie@example.com"):
                order = self.new_order(email=email)
                order.user_id = self.backoffice
                visits |= self.plan(order, utc(2030, 3, 10, 14, 30))
        broken = visits[1]
        original = type(self.Visit)._klusheeren_notify_contact

        def notify(visit, *args, **kwargs):
            if visit == broken:
                visit.write({"reminder_note": "half written"})  # rolled back with the failure
                raise ValueError("template of the broken visit")
            return original(visit, *args, **kwargs)

        with patch.object(type(self.Visit), "_klusheeren_notify_contact", notify):
            with freeze_time("2030-03-07 09:00:00"):
                sent = self.Visit._cron_send_reminders()
            self.assertEqual(sent, visits - broken)
            self.assertEqual(visits.mapped("reminder_state"), ["sent", "scheduled", "sent"])
            self.assertEqual(broken.klusheeren_job_failures, 1)
            self.assertFalse(broken.reminder_note)
            self.assertIn("template of the broken visit", broken.klusheeren_job_error)
            for mails in (self.visit_mails(visit) for visit in visits - broken):
                self.assertEqual(len(mails), 2, "the appointment e-mail and the reminder")
            self.assertEqual(len(self.visit_mails(broken)), 1, "the appointment e-mail only")
            with freeze_time("2030-03-07 09:01:00"):
                self.assertFalse(self.Visit._cron_send_reminders(), "retried after 5 minutes, not at once")
            for minute in (6, 40, 160, 650):  # after 5 min, 30 min, 2 h and 8 h
                with freeze_time(datetime(2030, 3, 7, 9, 0) + timedelta(minutes=minute)):
                    self.Visit._cron_send_reminders()
        self.assertEqual(broken.klusheeren_job_failures, 5)
        self.assertTrue(broken.klusheeren_job_failed)
        self.assertEqual(broken.activity_ids.user_id, self.backoffice, "the work order's responsible is told")
        broken.with_user(self.backoffice).action_klusheeren_job_retry()  # the cause is fixed
        with freeze_time("2030-03-07 20:00:00"):
            self.assertEqual(self.Visit._cron_send_reminders(), broken)
        self.assertEqual(broken.reminder_state, "sent")
