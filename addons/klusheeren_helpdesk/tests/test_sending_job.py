"""One record that fails never holds up the others, in every scheduled job of the addon.

The failure used is a real one: a contact in a language that is not (or no longer) active, e.g.
imported so or left behind by a removed language; every e-mail to them fails to render
("Invalid language code")."""

from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.klusheeren_base.models.klusheeren_job_mixin import MAX_ATTEMPTS, RETRY_DELAYS

from .common import KlusheerenHelpdeskCase

T0 = datetime(2030, 3, 4, 9, 0, 0)
JOB_LOGGER = "odoo.addons.klusheeren_base.models.klusheeren_job_mixin"


@tagged("post_install", "-at_install")
class TestSendingJob(KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contractor_fr = cls.env["res.partner"].create(
            {
                "name": "Froid Service",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "atelier@froid.example.com",
            }
        )
        cls.equipment_fr = cls.env["maintenance.equipment"].create(
            {"name": "Vitrine", "site_id": cls.site.id, "contractor_id": cls.contractor_fr.id}
        )

    def give_removed_language(self, partner):
        """The contact's language is French, which this database does not have (active)."""
        self.assertFalse(self.env["res.lang"]._lang_get("fr_FR"), "French is not active here")
        partner.flush_recordset()
        self.env.cr.execute("UPDATE res_partner SET lang = 'fr_FR' WHERE id = %s", [partner.id])
        partner.invalidate_recordset(["lang"])

    def remove_french(self):
        self.give_removed_language(self.contractor_fr)

    @contextmanager
    def failures_logged(self):
        """The job's warnings, asserted; Odoo's own renderer logs the expected failure with a
        traceback (at INFO), muted here as Odoo's own tests mute expected errors."""
        with mute_logger("odoo.addons.mail.models.mail_render_mixin"), self.assertLogs(JOB_LOGGER, "WARNING") as logged:
            yield logged

    def pdfs(self, mail):
        return mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")

    def test_one_work_order_that_cannot_be_rendered_never_holds_up_the_others(self):
        orders = [
            self.report(equipment).work_order_ids
            for equipment in (self.equipment, self.equipment_fr, self.equipment_en)
        ]
        self.remove_french()
        with self.failures_logged() as logged:
            self.send_pending()
        for order, contractor in ((orders[0], self.contractor), (orders[2], self.contractor_en)):
            mail = self.mails_to(contractor)
            self.assertEqual(len(mail), 1, f"{order.name} goes out")
            self.assertEqual(mail.state, "outgoing", "queued in the real mail queue")
            self.assertIn(order.name, mail.subject)
            pdf = self.pdfs(mail)
            self.assertEqual(len(pdf), 1)
            self.assertTrue(pdf.raw.startswith(b"%PDF"), "a real PDF")
            self.assertFalse(order.mail_pending)
            self.assertFalse(order.klusheeren_job_failures)
        bad = orders[1]
        self.assertFalse(self.mails_to(self.contractor_fr))
        self.assertTrue(bad.mail_pending, "still waiting for its e-mail")
        self.assertEqual(bad.klusheeren_job_failures, 1)
        self.assertFalse(bad.klusheeren_job_failed, "not given up after one attempt")
        self.assertIn("Invalid language code: fr_FR", bad.klusheeren_job_error)
        self.assertGreater(bad.klusheeren_job_retry_at, fields.Datetime.now())
        self.assertEqual(len(logged.records), 1)
        self.assertIn(f"klusheeren.work.order({bad.id}) failed, attempt 1 of {MAX_ATTEMPTS}", logged.output[0])
        # every reporter still gets the confirmation
        for order in orders:
            self.assertTrue(self.mails_to(order.ticket_id.partner_id))

    def test_retried_a_bounded_number_of_times_then_the_back_office_is_told(self):
        with freeze_time(T0):
            order = self.report(self.equipment_fr).work_order_ids
            self.assertEqual(order._klusheeren_job_responsible(), self.backoffice, "the team leader")
            self.remove_french()
        moment = T0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with freeze_time(moment), self.failures_logged() as logged:
                self.send_pending()
            self.assertEqual(order.klusheeren_job_failures, attempt)
            self.assertIn(f"attempt {attempt} of {MAX_ATTEMPTS}", logged.output[0])
            if attempt < MAX_ATTEMPTS:
                self.assertFalse(order.klusheeren_job_failed)
                self.assertFalse(order.activity_ids)
                with freeze_time(moment + RETRY_DELAYS[attempt - 1] - timedelta(minutes=1)):
                    self.send_pending()  # too early: not tried (nothing logged)
                self.assertEqual(order.klusheeren_job_failures, attempt)
                moment += RETRY_DELAYS[attempt - 1]
        self.assertIn("giving up", logged.output[0])
        self.assertTrue(order.klusheeren_job_failed)
        self.assertTrue(order.mail_pending)
        self.assertIn(
            order, self.WorkOrder.search([("klusheeren_job_failed", "=", True)]), "the 'Sending failed' filter shows it"
        )
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.backoffice)
        self.assertIn("Sending the work order e-mail", activity.summary)
        self.assertIn("Invalid language code", str(activity.note))
        with freeze_time(moment + timedelta(days=2)):
            self.send_pending()  # given up: no more attempts
        self.assertEqual(order.klusheeren_job_failures, MAX_ATTEMPTS)
        self.assertFalse(self.mails_to(self.contractor_fr))

        # the back office fixes the cause and retries: it goes out
        self.contractor_fr.lang = "en_US"
        order.with_user(self.backoffice).action_klusheeren_job_retry()
        self.assertFalse(order.klusheeren_job_failed)
        self.assertFalse(order.activity_ids, "the activity is done")
        self.send_pending()
        self.assertFalse(order.mail_pending)
        self.assertEqual(len(self.pdfs(self.mails_to(self.contractor_fr))), 1)

    def test_without_responsible_the_team_leader_is_told_never_a_hard_coded_admin(self):
        ticket = self.report(self.equipment_fr)
        order = ticket.work_order_ids
        order.user_id = False
        self.team.user_id = self.manager
        self.remove_french()
        self.assertEqual(order._klusheeren_job_responsible(), self.manager)
        order.klusheeren_job_failures = MAX_ATTEMPTS - 1
        with self.failures_logged():
            self.send_pending()
        self.assertEqual(order.activity_ids.user_id, self.manager)
        # nobody at all: the activity is unassigned, for anyone to pick up
        other = self.report(self.equipment_fr).work_order_ids
        other.user_id = False
        other.ticket_id.user_id = False  # the responsibility rules assigned the ticket
        self.team.user_id = False
        self.team.user_ids = [(5, 0, 0)]
        other.klusheeren_job_failures = MAX_ATTEMPTS - 1
        with self.failures_logged():
            self.send_pending()
        self.assertTrue(other.klusheeren_job_failed)
        self.assertEqual(len(other.activity_ids), 1)
        self.assertFalse(other.activity_ids.user_id)

    def test_a_failing_confirmation_never_holds_up_the_others(self):
        fine = self.report(email="anna@example.com")
        stuck = self.report(email="pierre@example.com")
        self.give_removed_language(stuck.partner_id)
        with self.failures_logged():
            self.send_pending()
        self.assertEqual(len(self.mails_to(fine.partner_id)), 1)
        self.assertFalse(fine.klusheeren_ack_pending)
        self.assertFalse(self.mails_to(stuck.partner_id))
        self.assertTrue(stuck.klusheeren_ack_pending)
        self.assertEqual(stuck.klusheeren_job_failures, 1)
        self.assertEqual(len(self.mails_to(self.contractor)), 2, "both work orders go out")

    def test_a_failing_reminder_never_holds_up_the_others(self):
        with freeze_time(T0):
            late = self.report().work_order_ids
            stuck = self.report(self.equipment_fr).work_order_ids
            self.send_pending()
        self.remove_french()
        before = len(self.mails_to(self.contractor))
        with freeze_time(T0 + timedelta(hours=25)), self.failures_logged() as logged:
            self.WorkOrder._cron_remind()
        self.assertEqual(len(self.mails_to(self.contractor)), before + 1)
        self.assertEqual((late.reminder_count, stuck.reminder_count), (1, 0))
        self.assertEqual(stuck.klusheeren_job_failures, 1)
        self.assertIn("Sending a reminder", logged.output[0])

    def test_reminders_in_batches(self):
        # only this test's orders are due (not the demo's)
        self.WorkOrder.search([("state", "=", "sent")]).reminder_escalated = True
        with freeze_time(T0):
            orders = self.WorkOrder.browse()
            for _i in range(3):
                orders |= self.report().work_order_ids
        with freeze_time(T0 + timedelta(hours=25)):
            self.WorkOrder._cron_remind(limit=2)
            self.assertEqual(orders.mapped("reminder_count"), [1, 1, 0], "one batch of 2 per call")
            self.WorkOrder._cron_remind(limit=2)
        self.assertEqual(orders.mapped("reminder_count"), [1, 1, 1])

    def test_a_ticket_that_cannot_be_closed_never_holds_up_the_others(self):
        with freeze_time(T0):
            tickets = [self.report(email=email) for email in ("anna@example.com", "pierre@example.com")]
            for ticket in tickets:
                ticket.work_order_ids.action_accept()
                ticket.work_order_ids.action_done()
        self.give_removed_language(tickets[1].partner_id)  # the closing e-mail goes to the reporter
        # as the cron runs it: with the stage's closing e-mail (these tests otherwise disable tracking)
        Ticket = self.Ticket.with_context(tracking_disable=False, mail_notrack=False)
        with freeze_time(T0 + timedelta(days=8)), self.failures_logged() as logged:
            Ticket._cron_close_resolved()
        self.assertEqual(tickets[0].stage_id, self.stage("closed"))
        self.assertEqual(tickets[1].stage_id, self.stage("resolved"))
        self.assertEqual(tickets[1].klusheeren_job_failures, 1)
        self.assertIn("Closing the resolved ticket", logged.output[0])

    def test_the_job_run_by_the_cron_worker_commits_each_order_and_reports_its_progress(self):
        """Through ir.cron itself (Odoo's progress API), as the cron worker runs it: the job
        never fails as a whole, so Odoo never counts it as failing nor deactivates it. (In test
        mode, without force_report_rendering, the report is HTML: the cron's own cursor cannot
        let wkhtmltopdf's request in.)"""
        orders = [
            self.report(equipment).work_order_ids
            for equipment in (self.equipment, self.equipment_fr, self.equipment_en)
        ]
        self.remove_french()
        cron = self.env.ref("klusheeren_helpdesk.ir_cron_work_order_send")
        Progress = self.env["ir.cron.progress"]
        before = Progress.search([("cron_id", "=", cron.id)])
        with self.enter_registry_test_mode(), self.failures_logged():
            cron.method_direct_trigger()
        self.assertEqual([o.mail_pending for o in orders], [False, True, False])
        self.assertEqual(len(self.mails_to(self.contractor)), 1)
        self.assertEqual(len(self.mails_to(self.contractor_en)), 1)
        self.assertEqual(orders[1].klusheeren_job_failures, 1)
        runs = Progress.search([("cron_id", "=", cron.id), ("id", "not in", before.ids)], order="id")
        self.assertEqual(sum(runs.mapped("done")), 9, "3 confirmations, 3 announcements and 3 orders tried")
        self.assertEqual(runs[-1].remaining, 0, "nothing remains but the order waiting for its retry")
        self.assertEqual(cron.failure_count, 0)
        self.assertTrue(cron.active)
