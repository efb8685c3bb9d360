import re
import subprocess
import tempfile
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models import ir_actions_report as core_report
from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .common import PNG, KlusheerenHelpdeskCase


def pdf_text(pdf):
    """The text layer of a PDF, as poppler's pdftotext (and a search or a screen reader) reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], check=True, capture_output=True, text=True).stdout


@tagged("post_install", "-at_install")
class TestReportFlow(KlusheerenHelpdeskCase):
    def test_numbering(self):
        ticket = self.report()
        self.assertRegex(ticket.number, r"^KH-A-\d{6}$")
        order = ticket.work_order_ids
        self.assertRegex(order.name, r"^KH-OC-\d{6}$")
        second = self.report().work_order_ids
        self.assertEqual(int(second.name[-6:]), int(order.name[-6:]) + 1)

    def test_report_creates_ticket_and_sent_work_order(self):
        ticket = self.report(channel="qr")
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.site_id, self.site)
        self.assertEqual(ticket.exact_location, "Op de koelkast in kantoor 2.21")
        self.assertEqual(ticket.channel_id, self.env.ref("klusheeren_helpdesk.helpdesk_ticket_channel_qr"))
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id.email, "douwe@example.com")
        self.assertEqual(ticket.partner_phone, "088-5550555")
        self.assertIn("De melk is zuur", ticket.description)
        self.assertEqual(ticket._klusheeren_photos().mapped("name"), ["foto.png"])
        order = ticket.work_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.contractor_id, self.contractor)
        self.assertEqual(order.title, ticket.name)
        self.assertTrue(order.mail_pending)
        self.assertTrue(order.access_token)
        self.assertEqual(ticket.stage_id, self.stage("waiting_external"))

    def test_reporter_matched_by_email_never_duplicated(self):
        first = self.report(email="Douwe@Example.com")
        second = self.report(email="douwe@example.com", name="D. Demo")
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(self.env["res.partner"].search_count([("email_normalized", "=", "douwe@example.com")]), 1)

    def test_contractor_without_email_never_loses_the_report(self):
        self.contractor.email = False
        ticket = self.report()
        order = ticket.work_order_ids
        self.assertEqual(order.state, "draft", "nothing to send it to")
        self.assertFalse(order.mail_pending)
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, order._klusheeren_job_responsible(), "the responsible back-office user")
        self.assertEqual(activity.user_id, self.backoffice, "here the team leader: the order's author is the system")
        self.assertIn("Koeltechniek Jansen", str(activity.note))
        self.assertEqual(ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))
        self.send_pending()
        self.assertEqual(len(self.mails_to(ticket.partner_id)), 1, "the reporter is still told")

    def test_the_mail_queue_is_woken_by_the_sending_job_not_by_the_report(self):
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", queue.id)])
        self.report()
        self.assertEqual(Trigger.search_count([("cron_id", "=", queue.id)]), before, "nothing queued yet")
        self.send_pending()
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", queue.id)]),
            before + 1,
            "woken once for the confirmation and the work order together",
        )

    def test_work_order_of_a_report_is_created_sent(self):
        order = self.report().work_order_ids
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.access_token)
        self.assertTrue(order.date_sent)
        self.assertEqual(order.ticket_id.stage_id, self.stage("waiting_external"))
        bodies = order.message_ids.mapped("body")
        self.assertEqual(len(bodies), 1, "one line in the chatter: sent to the contractor")
        self.assertIn("Koeltechniek Jansen", str(bodies[0]))

    def test_no_contractor_no_work_order(self):
        ticket = self.report(equipment=self.equipment_none)
        self.assertFalse(ticket.work_order_ids)
        self.assertEqual(ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))

    def test_reporter_mail_on_creation(self):
        ticket = self.report()
        self.assertTrue(ticket.klusheeren_ack_pending)
        self.assertFalse(self.mails_to(ticket.partner_id), "rendered by the sending job, not in the request")
        self.send_pending()
        self.assertFalse(ticket.klusheeren_ack_pending)
        mail = self.mails_to(ticket.partner_id)
        self.assertEqual(len(mail), 1)
        self.assertIn(ticket.number, mail.subject)
        self.assertIn(f"/my/ticket/{ticket.id}?access_token={ticket.access_token}", mail.body_html)
        self.assertIn("088 - 555 0 555", mail.body_html)
        self.assertEqual(mail.state, "outgoing")

    def test_contractor_mail_with_pdf_and_photos_in_dutch(self):
        ticket = self.report()
        order = ticket.work_order_ids
        self.assertFalse(self.mails_to(self.contractor), "no contractor mail inside the request")
        self.send_pending()
        self.assertFalse(order.mail_pending)
        mail = self.mails_to(self.contractor)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contractor)
        self.assertIn("Nieuwe opdracht", mail.subject)
        self.assertIn(order.name, mail.subject)
        self.assertIn("binnen 24 uur", mail.body_html)
        self.assertIn(f"/my/work-orders/{order.id}?access_token={order.access_token}", mail.body_html)
        names = sorted(mail.attachment_ids.mapped("name"))
        self.assertEqual(names, sorted([f"{order.name}.pdf", "foto.png"]))
        pdf = mail.attachment_ids.filtered(lambda a: a.name.endswith(".pdf"))
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertEqual(mail.attachment_ids.filtered(lambda a: a.name == "foto.png").raw, PNG)
        # sending again does not duplicate the mail
        self.send_pending()
        self.assertEqual(len(self.mails_to(self.contractor)), 1)

    def test_contractor_mail_in_english_for_english_contractor(self):
        order = self.report(equipment=self.equipment_en).work_order_ids
        self.send_pending()
        mail = self.mails_to(self.contractor_en)
        self.assertIn("New work order", mail.subject)
        self.assertIn("within 24 hours", mail.body_html)
        self.assertIn(order.name, mail.subject)

    def test_pdf_holds_every_row_but_never_the_internal_note(self):
        order = self.report().work_order_ids
        order.write({"internal_note": "<p>GEHEIME AFSPRAAK</p>", "contractor_info": "<p>Sleutel bij receptie</p>"})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("klusheeren_helpdesk.action_report_work_order", order.ids)[0]
            .decode()
        )
        for text in (
            order.name,
            order.ticket_id.number,
            "Demo locatie 1",
            "Koelkast 2.21",
            "Douwe",
            "Demo",
            "Laan van Kronenburg 14",
            "1183 AS",
            "Amstelveen",
            "douwe@example.com",
            "088-5550555",
            "De melk is zuur",
            "foto.png",
            "Sleutel bij receptie",
        ):
            self.assertIn(text, html)
        self.assertNotIn("GEHEIME AFSPRAAK", html)
        self.assertNotIn("res.partner(", html, "no record printed as its Python repr (e.g. in the layout's header)")
        with self.pdf_render():
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("klusheeren_helpdesk.action_report_work_order", order.ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # a real text layer (searchable, copyable, read aloud): pdftotext finds the order number and
        # the letterhead, and the state is not repeated by the date ("Verstuurd · verstuurd")
        text = pdf_text(pdf)
        company = order.company_id
        for shown in (order.name, order.ticket_id.number, company.name, company.street, "Koelkast 2.21"):
            self.assertIn(shown, text)
        lang_env = order.with_context(lang=order.contractor_id.lang).env
        state = dict(order._fields["state"]._description_selection(lang_env))[order.state]
        self.assertEqual(text.lower().count(state.lower()), 1, "the state once, not again beside the date")

    def test_own_pdfs_do_not_wait_for_javascript(self):
        """KlusHeeren's reports are static HTML: wkhtmltopdf renders them without core's wait for
        JavaScript (``report.print_delay``, a second per PDF); every other report keeps it."""
        order = self.report().work_order_ids
        self.env["ir.config_parameter"].sudo().set_param("report.print_delay", "1000")
        delays = []
        real = core_report._run_wkhtmltopdf

        def spy(args):
            delays.append(args[args.index("--javascript-delay") + 1])
            return real(args)

        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        with self.pdf_render(), patch.object(core_report, "_run_wkhtmltopdf", side_effect=spy):
            pdf, _kind = Report._render_qweb_pdf("klusheeren_helpdesk.action_report_work_order", order.ids)
            model = self.env["ir.model"]._get("res.country")
            core_pdf, _kind = Report._render_qweb_pdf("base.report_ir_model_overview", model.ids)
        self.assertEqual(delays, ["0", "1000"])
        self.assertIn(order.name, pdf_text(pdf), "the whole work order, without the wait")
        self.assertIn("res.country", pdf_text(core_pdf))

    def test_no_pdf_rendered_while_reporting(self):
        with patch.object(IrActionsReport, "_render_qweb_pdf", side_effect=AssertionError("PDF in request")):
            ticket = self.report()
        self.assertTrue(ticket.work_order_ids.mail_pending)

    def _queries_of_a_report(self):
        self.env.invalidate_all()
        self.env.flush_all()
        self.env.cr.flush()
        before = self.cr.sql_log_count
        self.report()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - before

    def test_report_costs_constant_queries(self):
        self.report()  # warm the caches
        few = self._queries_of_a_report()
        self.assertEqual(self._queries_of_a_report(), few)
        # 300 more tickets in the database: the same number of queries
        self.Ticket.with_context(klusheeren_no_auto_work_order=True, klusheeren_no_mail=True).create(
            [
                {
                    "name": f"Oud {i}",
                    "description": "<p>x</p>",
                    "equipment_id": self.equipment.id,
                    "partner_email": "douwe@example.com",
                }
                for i in range(300)
            ]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(few):
            self.report()

    def test_backoffice_work_order_button_copies_title_and_description(self):
        ticket = self.Ticket.with_user(self.backoffice).create(
            {
                "name": "Printer papierstoring",
                "description": "<p>Papier loopt vast</p>",
                "equipment_id": self.equipment_none.id,
                "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
                "partner_name": "Piet",
                "partner_email": "piet@example.com",
            }
        )
        action = ticket.with_user(self.backoffice).action_create_work_order()
        order = (
            self.WorkOrder.with_user(self.backoffice)
            .with_context(**action["context"])
            .create({"contractor_id": self.contractor.id})
        )
        self.assertEqual(order.title, "Printer papierstoring")
        self.assertIn("Papier loopt vast", order.description)
        self.assertEqual(order.state, "draft")
        order.action_send()
        self.assertEqual(order.state, "sent")

    def test_email_to_alias_becomes_ticket(self):
        raw = (
            "From: Anna <anna@example.com>\r\nTo: storingen@example.com\r\n"
            "Subject: Lift blijft hangen\r\nMessage-ID: <kh-alias-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nDe lift blijft hangen op 3.\r\n"
        )
        ticket_id = self.env["mail.thread"].message_process(
            "helpdesk.ticket", raw, custom_values={"team_id": self.team.id}
        )
        ticket = self.Ticket.browse(ticket_id)
        self.assertEqual(ticket.name, "Lift blijft hangen")
        self.assertRegex(ticket.number, r"^KH-A-\d{6}$")
        self.assertEqual(ticket.partner_id.email, "anna@example.com")
        self.assertTrue(re.search("De lift blijft hangen", ticket.description))
