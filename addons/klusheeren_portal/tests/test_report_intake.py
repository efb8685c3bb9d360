from unittest.mock import patch

from odoo.addons.klusheeren_helpdesk.models.helpdesk_ticket_intake import HelpdeskTicket

from .common import PNG, KlusheerenPortalCase

INTAKE_JOB = "klusheeren_portal.ir_cron_report_intake"


class TestReportIntake(KlusheerenPortalCase):
    """Issue 21: the sticker's form accepts a report in the request (checked, kept with its
    photos, given its ticket number) and the intake job makes the ticket right after the commit;
    a report the job cannot make is tried again and, in the end, handed to the back office."""

    def setUp(self):
        super().setUp()
        self.Submission = self.env["klusheeren.report.submission"]

    def tickets(self):
        return self.env["helpdesk.ticket"].search([("equipment_id", "=", self.equipment.id)])

    def triggers(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.env.ref(INTAKE_JOB).id)])

    def test_accepted_at_once_with_its_number_then_made_by_the_job(self):
        triggers = self.triggers()
        photo = ("attachments", ("lek.png", PNG, "image/png"))
        response = self.post_report(
            intake=False, description="De koelkast lekt\nonder de deur", email="nieuw.melder@example.com", files=[photo]
        )
        self.assertEqual(response.status_code, 200)  # the thanks page, after the 303
        self.assertFalse(self.tickets(), "the request makes no ticket")
        submission = self.Submission.search([("equipment_id", "=", self.equipment.id)])
        self.assertEqual(len(submission), 1)
        self.assertTrue(submission.number.startswith("KH-A-"), submission.number)
        self.assertEqual(self.triggers(), triggers + 1, "the intake job is woken by the report")
        kept = submission._klusheeren_kept()
        self.assertEqual(kept.mapped("name"), ["lek.png"], "the photo is kept with the report")
        # the thanks page: the number now, the link once the ticket exists; it looks again by itself
        self.assertIn(submission.number, response.text)
        self.assertIn("o_klusheeren_ticket_pending", response.text)
        self.assertIn('http-equiv="refresh"', response.text)
        self.assertNotIn("o_klusheeren_tracking_link", response.text)

        lang = submission.lang
        self.assertTrue(lang, "the page's language is kept for the ticket")
        self.make_tickets()
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.number, submission.number, "the number the reporter was given")
        self.assertEqual(ticket.channel_id, self.env.ref("klusheeren_helpdesk.helpdesk_ticket_channel_qr"))
        self.assertEqual(ticket.partner_id.email, "nieuw.melder@example.com")
        self.assertEqual(ticket.partner_id.lang, lang, "the reporter's contact in the page's language")
        self.assertIn("onder de deur", ticket.description)
        self.assertEqual(ticket.klusheeren_shared_attachment_ids, kept, "the kept photo itself, moved")
        self.assertEqual((kept.res_model, kept.res_id), ("helpdesk.ticket", ticket.id))
        self.assertTrue(ticket.work_order_ids, "routed and dispatched as a report made in the request was")
        self.assertEqual(submission.ticket_id, ticket)
        self.assertFalse(
            any(submission[name] for name in ("description", "reporter_name", "email", "phone", "lang")),
            "what the reporter typed is not kept beside the ticket",
        )
        thanks = self.url_open(f"{self.qr_url()}/thanks")
        self.assertIn("o_klusheeren_tracking_link", thanks.text)
        self.assertNotIn('http-equiv="refresh"', thanks.text)
        self.make_tickets()
        self.assertEqual(self.tickets(), ticket, "a second run of the job makes nothing")

    def test_one_report_that_fails_holds_up_no_other_and_nothing_is_lost(self):
        photo = ("attachments", ("kapot.png", PNG, "image/png"))
        self.post_report(intake=False, description="Gaat mis", email="pech@example.com", files=[photo])
        self.post_report(intake=False, description="Gaat goed", email="geluk@example.com")
        failing = self.Submission.search([("email", "=", "pech@example.com")])
        original = HelpdeskTicket._klusheeren_report_create

        def create(ticket_model, equipment, report, *args, **kwargs):
            if report["description"] == "Gaat mis":
                raise ValueError("routing broke")
            return original(ticket_model, equipment, report, *args, **kwargs)

        with patch.object(HelpdeskTicket, "_klusheeren_report_create", create):
            with self.assertLogs("odoo.addons.klusheeren_base.models.klusheeren_job_mixin", "WARNING"):
                self.make_tickets()
            self.assertEqual(self.tickets().mapped("description"), ["<p>Gaat goed</p>"])
            self.assertEqual(failing.klusheeren_job_failures, 1)
            self.assertTrue(failing.klusheeren_job_retry_at, "tried again later")
            self.assertIn("routing broke", failing.klusheeren_job_error)
            self.assertEqual(failing.email, "pech@example.com", "the report is kept for the next attempt")
            # the last attempts: the job gives up and the back office gets the whole report
            failing.klusheeren_job_failures = failing._klusheeren_job_max_attempts() - 1
            failing.klusheeren_job_retry_at = False
            with self.assertLogs("odoo.addons.klusheeren_base.models.klusheeren_job_mixin", "WARNING"):
                self.make_tickets()
        self.assertTrue(failing.klusheeren_job_failed)
        note = self.equipment.message_ids.filtered(lambda m: failing.number in (m.body or ""))
        self.assertEqual(len(note), 1, "the report is on the equipment for the back office")
        self.assertIn("pech@example.com", note.body)
        self.assertIn("Gaat mis", note.body)
        self.assertEqual(note.attachment_ids.mapped("name"), ["kapot.png"])
        self.assertEqual(note.attachment_ids.res_model, "maintenance.equipment", "the photo outlives the report")
        activity = self.equipment.activity_ids.filtered(lambda a: failing.number in (a.summary or ""))
        self.assertEqual(len(activity), 1)
        self.make_tickets()
        self.assertEqual(len(self.tickets()), 1, "a report given up on is left to the back office")
