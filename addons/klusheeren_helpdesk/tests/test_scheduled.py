from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KlusheerenHelpdeskCase

T0 = datetime(2030, 3, 4, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestScheduled(KlusheerenHelpdeskCase):
    def test_reminders_then_activity(self):
        with freeze_time(T0):
            order = self.report().work_order_ids
            order.user_id = self.backoffice
            self.send_pending()
        sent = len(self.mails_to(self.contractor))
        self.assertEqual(sent, 1)

        def run(hours):
            with freeze_time(T0 + timedelta(hours=hours)):
                self.WorkOrder._cron_remind()
            return self.mails_to(self.contractor)[sent:]

        self.assertFalse(run(23))
        self.assertEqual(len(run(25)), 1)
        self.assertEqual(order.reminder_count, 1)
        self.assertEqual(len(run(30)), 1, "not again within 24 hours")
        self.assertEqual(len(run(49)), 2)
        reminders = run(73)
        self.assertEqual(len(reminders), 3)
        self.assertIn(order.name, reminders[-1].subject)
        self.assertIn(f"/my/work-orders/{order.id}?access_token=", reminders[-1].body_html)
        self.assertFalse(order.activity_ids)
        self.assertEqual(len(run(97)), 3, "at most 3 reminders")
        self.assertEqual(len(order.activity_ids), 1)
        self.assertEqual(order.activity_ids.user_id, self.backoffice)
        run(200)
        self.assertEqual(len(order.activity_ids), 1, "one activity only")

    def test_no_reminder_once_accepted(self):
        with freeze_time(T0):
            order = self.report().work_order_ids
            self.send_pending()
            order.action_accept()
        before = len(self.mails_to(self.contractor))
        with freeze_time(T0 + timedelta(hours=30)):
            self.WorkOrder._cron_remind()
        self.assertEqual(len(self.mails_to(self.contractor)), before)

    def test_late_filter(self):
        with freeze_time(T0):
            order = self.report().work_order_ids
        with freeze_time(T0 + timedelta(hours=25)):
            self.assertIn(order, self.WorkOrder.search([("is_late", "=", True)]))
        with freeze_time(T0 + timedelta(hours=2)):
            self.assertNotIn(order, self.WorkOrder.search([("is_late", "=", True)]))

    def test_resolved_ticket_closes_after_seven_days(self):
        with freeze_time(T0):
            ticket = self.report()
            order = ticket.work_order_ids
            order.action_accept()
            order.action_done()
            self.assertEqual(ticket.stage_id, self.stage("resolved"))
        with freeze_time(T0 + timedelta(days=6)):
            self.Ticket._cron_close_resolved()
        self.assertEqual(ticket.stage_id, self.stage("resolved"))
        with freeze_time(T0 + timedelta(days=7, hours=1)):
            self.Ticket._cron_close_resolved()
        self.assertEqual(ticket.stage_id, self.stage("closed"))
        self.assertTrue(ticket.closed)

    def test_reporter_message_reopens_resolved_ticket(self):
        ticket = self.report()
        ticket.work_order_ids.action_accept()
        ticket.work_order_ids.action_done()
        # a back-office note does not reopen
        ticket.message_post(body="Afgehandeld", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(ticket.stage_id, self.stage("resolved"))
        ticket.message_post(
            body="Hij doet het nog steeds niet!",
            author_id=ticket.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(ticket.stage_id, self.stage("first_line"))
