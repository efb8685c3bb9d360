"""The public pages of the demo in one language: fetched as real HTTP requests by a Dutch visitor
(the demo's reporters and contractors speak Dutch), none shows an English label of helpdesk_mgmt
or Odoo, nor a placeholder of the website (logo, footer, header); the demo website is KlusHeeren's."""

import re

from odoo.tests import HttpCase, tagged

from .common import CSRF_RE, KEY_RE, DutchPagesMixin

DEMO_STICKER = "demo-koffiemachine-c5-KH2026"


@tagged("post_install", "-at_install")
class TestDutchPages(DutchPagesMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.dutch()

    def test_report_form_and_sent_page(self):
        text = self.assertDutchPage(
            f"/qr/{DEMO_STICKER}", ["Storing melden", "Omschrijving", "Foto's of pdf, elk hoogstens 10 MB."]
        )
        self.assertIn("Koffiemachine C5", text)
        page = self.url_open(f"/qr/{DEMO_STICKER}")
        response = self.url_open(
            f"/qr/{DEMO_STICKER}",
            data={
                "csrf_token": CSRF_RE.search(page.text).group(1),
                "idempotency_key": KEY_RE.search(page.text).group(1),
                "description": "De koffiemachine geeft foutmelding E12.",
                "name": "Douwe Demo",
                "email": "douwe.demo@example.com",
            },
        )
        self.assertDutchPage(None, ["KH-A-"], response=response)

    def test_reporter_page(self):
        ticket = self.env.ref("klusheeren_helpdesk.demo_ticket_fridge")
        ticket._portal_ensure_token()
        text = self.assertDutchPage(
            f"/my/ticket/{ticket.id}?access_token={ticket.access_token}",
            ["Status:", "Gemeld op:", "Status gewijzigd op:", "Omschrijving", "Berichten", "Afspraak gepland"],
        )
        # (the light page, for a visitor with the link: titled with the company's name, as the other light pages)
        self.assertIn(f"{ticket.number} {ticket.name} | {ticket.company_id.name}", text, "the page's own title")

    def test_contractor_pages(self):
        for xmlid in ("demo_work_order_fridge", "demo_work_order_coffee_old"):
            with self.subTest(order=xmlid):
                order = self.env.ref(f"klusheeren_helpdesk.{xmlid}")
                self.assertDutchPage(
                    f"/my/work-orders/{order.id}?access_token={order.access_token}",
                    ["Opdrachtinformatie", "Opdrachtomschrijving", "Berichten"],
                )
        self.authenticate("contractor", "contractor")
        self.dutch()
        self.assertDutchPage("/my/work-orders", ["Opdrachten", "Te accepteren"])

    def test_numbers_in_the_contractors_fields_as_a_dutch_reader_types_them(self):
        order = self.env.ref("klusheeren_helpdesk.demo_work_order_fridge")
        self.assertEqual(order.state, "accepted")
        self.env["klusheeren.work.order.line"].create(
            {"work_order_id": order.id, "line_type": "labour", "name": "Monteur", "quantity": 1.5, "price_unit": 45}
        )
        html = self.url_open(f"/my/work-orders/{order.id}?access_token={order.access_token}").text
        self.assertIn('value="1,5"', html)
        self.assertIn('value="45,00"', html)
        self.assertNotIn('value="45.00"', html)
        self.assertNotIn('value="1.5"', html)

    def test_company_portal(self):
        self.authenticate("portal", "portal")
        self.dutch()
        self.assertDutchPage("/my", ["Mijn account", "Volg de meldingen en aanvragen van uw bedrijf"])
        self.assertDutchPage("/my/tickets", ["Meldingen", "Nieuwe aanvraag", "Datum aangemaakt"])
        ticket = self.env.ref("klusheeren_helpdesk.demo_ticket_fridge")
        self.assertDutchPage(f"/my/ticket/{ticket.id}", ["Gemeld op:", "Berichten"])
        text = self.assertDutchPage("/new/ticket", ["Nieuwe aanvraag", "Foto's of pdf-bestanden, elk hoogstens 10 MB."])
        # KlusHeeren's pages, not an advertisement for Odoo's website builder in the footer
        self.assertNotIn("Aangeboden door", text)
        self.assertNotIn("gratis website", text)
        self.assertNotIn("o_brand_promotion", self.url_open("/my/tickets").text)

    def test_the_website_is_klusheerens(self):
        company = self.env.ref("base.main_company")
        text = self.assertDutchPage("/", ["Iets kapot? Meld het in een minuut."])
        for shown in (company.name, company.email, company.phone, "Kabelweg 21", "Amsterdam", "© KlusHeeren b.v."):
            self.assertIn(shown, text)
        self.assertIn("Logo of KlusHeeren storingen", text)
        website = self.env["website"].get_current_website()
        logo = self.url_open(f"/web/image/website/{website.id}/logo")
        self.assertEqual(logo.headers["Content-Type"], "image/png", "KlusHeeren's logo, not Odoo's 'Your Logo' SVG")
        self.assertNotIn(b"Your Logo", self.url_open("/logo.png").content)

    def test_contact_pages_carry_the_company_data(self):
        company = self.env.ref("base.main_company")
        for url in ("/contactus", "/contactus-thank-you"):
            with self.subTest(url=url):
                text = self.assertDutchPage(url)
                for shown in (company.name, company.street, company.city, company.phone, company.email):
                    self.assertIn(shown, text)
                self.assertNotIn("Buena Vista", text)

    def test_browser_tab_titles_in_the_page_language(self):
        """Error pages have a title of their own words, never their template's English name."""
        ticket = self.env.ref("klusheeren_helpdesk.demo_ticket_fridge")
        for url, status, marker in (
            ("/qr/" + "x" * 32, 404, "o_klusheeren_qr_unknown"),
            ("/my/work-orders/999999?access_token=" + "x" * 32, 403, None),
            (f"/my/ticket/{ticket.id}?access_token=" + "x" * 32, 404, "o_klusheeren_ticket_denied"),
            ("/klusheeren-no-such-page", 404, None),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, status)
                if marker:
                    self.assertIn(marker, response.text)
                title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
                for english in ("Unknown sticker", "Work order not accessible", "Page Not Found", "Report not"):
                    self.assertNotIn(english, title)
                self.assertNotIn(ticket.number, response.text)
