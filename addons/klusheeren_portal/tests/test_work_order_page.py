import re

from odoo.tests import tagged

from .common import JPEG_HEADER, PNG, XSS, KlusheerenPortalCase, force_pdf_rendering


@tagged("post_install", "-at_install")
class TestWorkOrderPage(KlusheerenPortalCase):
    """/my/work-orders/<id>?access_token=…: the contractor's page, its actions and its guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.new_report()
        cls.order = cls.ticket.work_order_ids
        cls.order.write(
            {
                "internal_note": "<p>GEHEIM: klant betaalt traag</p>",
                "contractor_info": "<p>Sleutel ligt bij de receptie</p>",
            }
        )
        cls.other_ticket = cls.new_report(cls.other_equipment, description="Vaatwasser pompt niet af")
        cls.other_order = cls.other_ticket.work_order_ids

    def page(self, order=None, token=None):
        return self.url_open(self.work_order_url(order or self.order, token))

    def test_page_shows_the_work_order(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        for text in (
            self.order.name,
            self.ticket.number,
            "Demo locatie 1",
            "Laan van Kronenburg 14",
            "1183 AS",
            "Amstelveen",
            "Koelkast 2.21",
            "Op de koelkast in kantoor 2.21",
            "Douwe Demo",
            "douwe@example.com",
            "088-5550555",
            "De koelkast koelt niet meer.",
            "Sleutel ligt bij de receptie",
            "foto.png",
        ):
            self.assertIn(text, response.text)
        self.assertIn("o_klusheeren_accept", response.text)
        self.assertNotIn("GEHEIM", response.text, "the internal note is never shown to the contractor")

    def test_token_of_one_work_order_opens_that_one_only(self):
        response = self.page(self.other_order, token=self.order.access_token)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Vaatwasser", response.text)
        self.assertNotIn(self.other_order.name, response.text)
        for suffix in ("/pdf", f"/file/{self.other_ticket._klusheeren_photos()[:1].id}"):
            response = self.url_open(self.work_order_url(self.other_order, self.order.access_token, suffix))
            self.assertEqual(response.status_code, 403, suffix)
        response = self.post_work_order(self.other_order, "accept", token=self.order.access_token)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.other_order.state, "sent")

    def test_missing_or_wrong_token_is_refused(self):
        for token in ("", "x" * len(self.order.access_token), self.ticket.access_token):
            with self.subTest(token=token):
                response = self.page(token=token)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("Koelkast", response.text)
                self.assertNotIn("douwe@example.com", response.text)
        # an unknown number answers as a wrong token does: nothing tells them apart
        self.assertEqual(self.url_open("/my/work-orders/999999?access_token=abc").status_code, 403)

    def test_a_photo_of_another_ticket_is_not_served(self):
        foreign = self.other_ticket._klusheeren_photos()[:1]
        response = self.url_open(self.work_order_url(self.order, suffix=f"/file/{foreign.id}"))
        self.assertEqual(response.status_code, 404)
        own = self.ticket._klusheeren_photos()[:1]
        response = self.url_open(self.work_order_url(self.order, suffix=f"/file/{own.id}"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PNG)

    def test_pdf_download(self):
        with force_pdf_rendering():
            response = self.url_open(self.work_order_url(self.order, suffix="/pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertNotIn(b"GEHEIM", response.content)

    def test_post_without_csrf_is_refused(self):
        response = self.post_work_order(self.order, "accept", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.order.state, "sent")

    def test_the_contractor_journey(self):
        response = self.post_work_order(self.order, "accept")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Accepted. Please contact the location within 24 hours.", response.text)
        self.assertEqual(self.order.state, "accepted")
        response = self.post_work_order(
            self.order,
            "save",
            appointment_date="2026-12-01T09:30",
            contractor_remarks="Compressor vervangen",
            amount_total="258,17",
            warranty="yes",
            contractor_reference="JAN-4711",
        )
        self.assertIn("Saved.", response.text)
        self.assertEqual(str(self.order.appointment_date), "2026-12-01 08:30:00", "Dutch time stored as UTC")
        self.assertEqual(self.order.amount_total, 258.17)
        self.assertTrue(self.order.warranty)
        self.assertEqual(self.order.contractor_reference, "JAN-4711")
        self.assertEqual(self.ticket.stage_id, self.stage("appointment"))
        self.assertIn('value="2026-12-01T09:30"', response.text)
        self.post_work_order(self.order, "hold", reason="Thermostaat besteld, levering vrijdag")
        self.assertEqual(self.order.state, "on_hold")
        self.assertIn("Thermostaat besteld", self.page().text)
        self.post_work_order(self.order, "resume")
        self.assertEqual(self.order.state, "accepted")
        response = self.post_work_order(self.order, "done", contractor_remarks="Opgelost, compressor vervangen")
        self.assertEqual(self.order.state, "done")
        self.assertEqual(self.order.contractor_remarks, "Opgelost, compressor vervangen")
        self.assertIn("it can no longer be edited", response.text)
        # read-only: no action buttons, the form is disabled, and a forged POST changes nothing
        self.assertNotIn("o_klusheeren_save", response.text)
        self.assertNotIn("o_klusheeren_done", response.text)
        self.assertRegex(response.text, r"<fieldset[^>]*disabled")
        response = self.post_work_order(self.order, "save", amount_total="1", contractor_reference="FORGED")
        self.assertIn("o_klusheeren_error", response.text)
        self.assertEqual(self.order.amount_total, 258.17)
        self.assertEqual(self.order.contractor_reference, "JAN-4711")

    def test_a_refused_input_is_shown_again(self):
        self.order.action_accept()
        response = self.post_work_order(
            self.order, "save", amount_total="twee euro", contractor_remarks="Opmerking blijft staan"
        )
        self.assertIn("The amount must be a number", response.text)
        self.assertIn("Opmerking blijft staan", response.text)
        self.assertIn('value="twee euro"', response.text)
        self.assertFalse(self.order.contractor_remarks, "nothing of a refused save is stored")
        # the notice belongs to this visit only: a reload shows the stored values
        self.assertNotIn("Opmerking blijft staan", self.page().text)

    def test_refuse_needs_a_reason(self):
        response = self.post_work_order(self.order, "refuse", reason="")
        self.assertIn("o_klusheeren_error", response.text)
        self.assertEqual(self.order.state, "sent")
        self.post_work_order(self.order, "refuse", reason="Geen monteur beschikbaar")
        self.assertEqual(self.order.state, "refused")
        self.assertEqual(self.order.refuse_reason, "Geen monteur beschikbaar")
        self.post_work_order(self.order, "accept")
        self.assertEqual(self.order.state, "refused", "a refused order cannot be accepted")

    def test_messages_and_files_to_the_back_office(self):
        self.order.action_accept()
        response = self.post_work_order(
            self.order, "message", body="Onderdeel komt dinsdag", files=[("attachments", ("bon.png", PNG, "image/png"))]
        )
        self.assertIn("Your message has been sent", response.text)
        message = self.order.message_ids.filtered(lambda m: "Onderdeel komt dinsdag" in (m.body or ""))
        self.assertEqual(message.attachment_ids.mapped("name"), ["bon.png"])
        self.assertIn("Onderdeel komt dinsdag", response.text)
        # a disguised file is refused, the typed message is kept
        response = self.post_work_order(
            self.order,
            "message",
            body="Tweede bericht",
            files=[("attachments", ("bon.jpg", b"MZ\x90\x00" * 64, "image/jpeg"))],
        )
        self.assertIn("bon.jpg is not a photo or a PDF.", response.text)
        self.assertIn("Tweede bericht", response.text)
        big = JPEG_HEADER + b"\0" * (10 * 1024 * 1024)
        response = self.post_work_order(
            self.order, "message", body="Derde bericht", files=[("attachments", ("groot.jpg", big, "image/jpeg"))]
        )
        self.assertIn("groot.jpg is larger than 10 MB.", response.text)
        self.assertFalse(self.order.message_ids.filtered(lambda m: "Tweede bericht" in (m.body or "")))

    def test_script_payloads_are_inert(self):
        self.order.action_accept()
        self.post_work_order(self.order, "save", contractor_remarks=XSS, contractor_reference=XSS[:64])
        self.post_work_order(self.order, "message", body=XSS)
        self.post_work_order(self.order, "hold", reason=XSS)
        self.assertInert(self.page().text, "the work order page")
        for mail in self.env["mail.mail"].search(
            [("model", "=", "klusheeren.work.order"), ("res_id", "=", self.order.id)]
        ):
            self.assertInert(mail.body_html or "", f"the e-mail {mail.subject}")
        with force_pdf_rendering():
            pdf = self.url_open(self.work_order_url(self.order, suffix="/pdf"))
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertNotIn(b"<script>", pdf.content)

    def test_logged_in_contractor_lists_the_company_work_orders(self):
        self.authenticate("kh_jansen", "kh_jansen_pw1")
        response = self.url_open("/my/work-orders?filterby=all")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertNotIn(self.other_order.name, response.text, "another contractor's order")
        self.assertEqual(self.url_open(f"/my/work-orders/{self.order.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/work-orders/{self.other_order.id}").status_code, 403)
        self.order.action_refuse("Te ver weg")
        response = self.url_open("/my/work-orders?filterby=open")
        self.assertNotIn(self.order.name, response.text)
        response = self.url_open(f"/my/work-orders?filterby=all&search={self.order.name}")
        self.assertIn(self.order.name, response.text)
        self.assertIn('/my/work-orders"', self.url_open("/my").text, "an entry in My Account")

    def test_customer_portal_user_sees_no_work_orders(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        response = self.url_open("/my/work-orders?filterby=all")
        self.assertNotIn(self.order.name, response.text)
        self.assertEqual(self.url_open(f"/my/work-orders/{self.order.id}").status_code, 403)
        orders = self.env["klusheeren.work.order"].with_user(self.customer_user).search([])
        self.assertFalse(orders)

    def test_query_count_does_not_grow_with_the_number_of_work_orders(self):
        url = self.work_order_url(self.order)
        small = self.hot_query_count(url)
        self.add_tickets(30)
        large = self.hot_query_count(url)
        self.assertEqual(small, large, "the contractor page costs the same with 2 or 32 work orders")
        with self.assertQueryCount(45):
            self.url_open(url)

    def test_no_stray_data_in_links(self):
        """Every link on the token page carries the token of this work order only."""
        html = self.page().text
        for href in re.findall(r'href="(/my/work-orders/[^"]+)"', html):
            self.assertIn(f"/my/work-orders/{self.order.id}", href)
            self.assertIn(self.order.access_token, href)
