import base64
import re
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_mail_server import IrMail_Server

from .common import JPEG_HEADER, PNG, XSS, KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestQrReport(KlusheerenPortalCase):
    """GET/POST /qr/<token>: the public fault report form behind a sticker."""

    def tickets(self):
        return self.env["helpdesk.ticket"].search([("equipment_id", "=", self.equipment.id)])

    def test_form_shows_the_equipment(self):
        self.equipment.image_1920 = base64.b64encode(PNG)
        response = self.url_open(self.qr_url())
        self.assertEqual(response.status_code, 200)
        for text in ("Koelkast 2.21", "Op de koelkast in kantoor 2.21", "Demo locatie 1", 'name="csrf_token"'):
            self.assertIn(text, response.text)
        self.assertIn('capture="environment"', response.text, "phones open the camera")
        self.assertIn('name="viewport"', response.text)
        src = re.search(r'src="(/qr/[^"/]+/photo[^"]*)"', response.text).group(1)
        photo = self.url_open(src.replace("&amp;", "&"))
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(
            photo.content, base64.b64decode(self.equipment.image_512), "anyone there sees the photo, not a placeholder"
        )
        self.assertEqual(self.url_open(f"/qr/{'x' * 32}/photo").status_code, 404)
        self.assertEqual(self.url_open(f"{self.qr_url(self.equipment_en)}/photo").status_code, 404, "no photo")

    def test_dutch_browser_gets_the_dutch_form(self):
        self.env.ref("website.default_website").language_ids |= self.env.ref("base.lang_nl")
        response = self.url_open(self.qr_url(), headers={"Accept-Language": "nl-NL,nl;q=0.9"})
        self.assertIn("Omschrijving", response.text)
        self.assertIn("Ticket aanmaken", response.text)

    def test_report_creates_ticket_work_order_and_queues_mails(self):
        before_pdfs = self.env["ir.attachment"].search_count([("mimetype", "=", "application/pdf")])
        response = self.post_report(
            files=[("attachments", ("lek.png", PNG, "image/png")), ("attachments", ("plas.png", PNG, "image/png"))],
            description="De koffiemachine lekt water.\nEr staat een plas.",
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel_id, self.env.ref("klusheeren_helpdesk.helpdesk_ticket_channel_qr"))
        self.assertEqual(ticket.partner_id.email, "douwe@example.com")
        self.assertEqual(ticket.partner_phone, "06-12345678")
        self.assertIn("Er staat een plas.", ticket.description)
        self.assertEqual(
            sorted(
                self.env["ir.attachment"]
                .search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
                .mapped("name")
            ),
            ["lek.png", "plas.png"],
        )
        self.assertIn(ticket.number, response.text)
        # the link once the intake job has made the ticket (the page looks again by itself)
        thanks = self.url_open(f"{self.qr_url()}/thanks")
        self.assertIn(f"/my/ticket/{ticket.id}?access_token={ticket.access_token}", thanks.text)
        order = ticket.work_order_ids
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.contractor_id, self.contractor)
        self.assertFalse(ticket.user_id, "never assigned to the public user")
        self.assertEqual(order.user_id, self.backoffice, "the team's leader follows the contractor's actions")
        # no PDF rendering, no SMTP inside the request: the PDF waits for the sending job
        self.assertTrue(order.mail_pending)
        self.assertEqual(self.env["ir.attachment"].search_count([("mimetype", "=", "application/pdf")]), before_pdfs)
        self.assertFalse(self.mails_to(ticket.partner_id), "no e-mail is rendered inside the request")
        self.send_pending()
        self.assertTrue(self.mails_to(ticket.partner_id), "the reporter's confirmation is queued")
        self.assertEqual(set(self.mails_to(ticket.partner_id).mapped("state")), {"outgoing"})

    def test_reloading_the_thanks_page_reports_nothing_twice(self):
        response = self.post_report()
        # (possibly "/en/qr/...": the page's language in its URL where it is not the website's default)
        self.assertTrue(response.url.split("?")[0].endswith(f"{self.qr_url()}/thanks"), response.url)
        reloaded = self.url_open(response.url)
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.number, reloaded.text)
        # another browser (another session) learns nothing from the thanks URL
        self.opener.cookies.clear()
        other = self.url_open(f"{self.qr_url()}/thanks")  # (possibly by way of a language prefix)
        self.assertTrue(other.history, "redirected")
        self.assertTrue(other.url.split("?")[0].endswith(self.qr_url()), other.url)
        self.assertNotIn(ticket.number, other.text)
        self.assertEqual(self.url_open(f"/qr/{'x' * 32}/thanks", allow_redirects=False).status_code, 303)

    def test_bad_input_keeps_everything_typed(self):
        response = self.post_report(email="geen-adres", description="Koelkast zoemt hard")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Give a valid e-mail address", response.text)
        self.assertIn("Koelkast zoemt hard", response.text)
        self.assertIn('value="Douwe Demo"', response.text)
        self.assertIn('value="06-12345678"', response.text)
        response = self.post_report(description="   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Describe the fault.", response.text)
        self.assertIn('value="douwe@example.com"', response.text)
        self.assertFalse(self.tickets())

    def test_file_over_10_mb_is_refused_and_the_description_kept(self):
        big = JPEG_HEADER + b"\0" * (10 * 1024 * 1024)
        response = self.post_report(
            files=[("attachments", ("groot.jpg", big, "image/jpeg"))], description="Lekkage onder de boiler"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("groot.jpg is larger than 10 MB.", response.text)
        self.assertIn("Lekkage onder de boiler", response.text)
        self.assertFalse(self.tickets())

    def test_disguised_files_are_judged_by_content(self):
        cases = {
            "foto.jpg": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,  # Windows executable
            "plaatje.jpg": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "script.png": b"#!/bin/sh\nrm -rf /\n",
        }
        for name, data in cases.items():
            with self.subTest(name=name):
                response = self.post_report(
                    files=[("attachments", (name, data, "image/jpeg"))], description=f"Melding met {name}"
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(f"{name} is not a photo or a PDF.", response.text)
                self.assertIn(f"Melding met {name}", response.text)
        self.assertFalse(self.tickets())
        # a PDF is fine, whatever its name
        response = self.post_report(
            files=[("attachments", ("offerte", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/octet-stream"))]
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.tickets()), 1)

    def test_post_without_csrf_token_is_refused(self):
        response = self.post_report(csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self.post_report(csrf=False, csrf_token="0" * 40 + "o" + "1" * 10)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.tickets())

    def test_honeypot_creates_nothing(self):
        response = self.post_report(kh_website="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your report has been received", response.text)
        self.assertFalse(self.tickets())

    def test_rate_limit_answers_429_and_recovers(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.rate_limit_per_address", 2)
        self.assertEqual(self.post_report().status_code, 200)
        self.assertEqual(self.post_report().status_code, 200)
        response = self.post_report(description="Derde melding")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many reports", response.text)
        self.assertEqual(len(self.tickets()), 2)
        # ten minutes later the address may report again
        self.env.cr.execute(
            "UPDATE klusheeren_report_attempt SET window_start = window_start - interval '11 minutes'"
            " WHERE key LIKE 'addr:%%'"
        )
        self.assertEqual(self.post_report().status_code, 200)
        # and per sticker, whatever the address
        ICP.set_param("klusheeren_portal.rate_limit_per_address", 1000)
        ICP.set_param("klusheeren_portal.rate_limit_per_sticker", 3)
        self.assertEqual(self.post_report().status_code, 429)
        self.assertEqual(self.post_report(self.equipment_en).status_code, 200, "other stickers still work")
        self.env.cr.execute("UPDATE klusheeren_report_attempt SET window_start = window_start - interval '2 days'")
        self.env["klusheeren.report.attempt"]._gc_attempts()
        self.assertFalse(self.env["klusheeren.report.attempt"].search([]))
        self.assertEqual(self.post_report().status_code, 200)

    def test_script_payloads_are_inert(self):
        # (a phone that is no number is refused: attack case 112)
        response = self.post_report(description=XSS, name=XSS)
        self.assertEqual(response.status_code, 200)
        self.assertInert(response.text, "the thanks page")
        ticket = self.tickets()
        self.assertInert(ticket.description, "the ticket description")
        self.assertInert(self.url_open(ticket.get_portal_url()).text, "the reporter page")
        order = ticket.work_order_ids
        self.assertInert(self.url_open(self.work_order_url(order)).text, "the work order page")
        self.send_pending()
        for mail in self.env["mail.mail"].search([("model", "in", ("helpdesk.ticket", "klusheeren.work.order"))]):
            self.assertInert(mail.body_html or "", f"the e-mail {mail.subject}")
        # the form re-rendered after an error shows the payload as text
        response = self.post_report(description=XSS, email="nope")
        self.assertInert(response.text, "the re-rendered form")
        self.assertIn("&lt;script&gt;", response.text)

    def test_a_failing_mail_server_never_loses_the_report(self):
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("down")):
            response = self.post_report()
            self.send_pending()
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.tickets()), 1)
        mails = self.mails_to(self.tickets().partner_id)
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"exception"}, "the mail waits for the retry job")

    def test_query_count_does_not_grow_with_the_number_of_tickets(self):
        url = self.qr_url()
        self.post_report()
        small = self.hot_query_count(url)
        self.add_tickets(30)
        self.post_report()
        large = self.hot_query_count(url)
        self.assertEqual(small, large, "GET /qr/<token> costs the same with 2 or 32 tickets")
        with self.assertQueryCount(25):
            self.url_open(url)
