from odoo.tests import tagged

from .common import KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestCompanyPortal(KlusheerenPortalCase):
    """/my/tickets: a customer company's users follow every ticket at their sites;
    the reporter's token page shows the progress."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qr_ticket = cls.new_report(description="Koelkast koelt niet", email="anoniem@example.com")
        cls.colleague_ticket = cls.new_report(
            cls.equipment_none, description="Printer loopt vast", email=cls.colleague.email
        )
        cls.colleague_ticket.partner_id = cls.colleague.partner_id
        # taken by phone by the back office: no reporter account, only the site
        cls.phone_ticket = cls.Ticket.create(
            {
                "name": "Telefonisch: deur klemt",
                "description": "<p>Deur van de vergaderzaal klemt</p>",
                "equipment_id": cls.equipment_none.id,
                "partner_name": "Receptie",
                "channel_id": cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
            }
        )
        cls.foreign_ticket = cls.new_report(cls.other_equipment, description="Vaatwasser pompt niet af")

    def my_tickets(self, query=""):
        response = self.url_open(f"/my/tickets{query}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_company_users_see_every_ticket_of_their_sites(self):
        for login, password in (("kh_klant", "kh_klant_pw1"), ("kh_collega", "kh_collega_pw1")):
            with self.subTest(login=login):
                self.authenticate(login, password)
                html = self.my_tickets()
                for ticket in (self.qr_ticket, self.colleague_ticket, self.phone_ticket):
                    self.assertIn(ticket.number, html)
                self.assertNotIn(self.foreign_ticket.number, html, "another company's ticket")
                self.assertEqual(self.url_open(f"/my/ticket/{self.phone_ticket.id}").status_code, 200)
                response = self.url_open(f"/my/ticket/{self.foreign_ticket.id}", allow_redirects=False)
                self.assertNotEqual(response.status_code, 200)
        visible = self.Ticket.with_user(self.customer_user).search([])
        self.assertIn(self.phone_ticket, visible)
        self.assertNotIn(self.foreign_ticket, visible)

    def test_search_filter_and_sort(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        html = self.my_tickets("?search=Printer&search_in=all")
        self.assertIn(self.colleague_ticket.number, html)
        self.assertNotIn(self.qr_ticket.number, html)
        html = self.my_tickets("?search=Koelkast 2.21&search_in=equipment")
        self.assertIn(self.qr_ticket.number, html)
        self.assertNotIn(self.colleague_ticket.number, html)
        self.qr_ticket.stage_id = self.stage("resolved")
        html = self.my_tickets(f"?filterby={self.stage('resolved').id}")
        self.assertIn(self.qr_ticket.number, html)
        self.assertNotIn(self.phone_ticket.number, html)
        html = self.my_tickets("?sortby=name")
        self.assertLess(html.index(self.qr_ticket.number), html.index(self.phone_ticket.number))
        self.assertIn("Koelkast 2.21", self.my_tickets(), "the equipment is listed")

    def test_reporter_page_shows_progress_and_appointment(self):
        order = self.qr_ticket.work_order_ids
        order.action_accept()
        order.contractor_save({"appointment_date": "2026-12-03 13:00:00"})
        response = self.url_open(self.qr_ticket.get_portal_url())
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("o_klusheeren_progress", html)
        self.assertRegex(html, r'class="o_current"[^>]*>\s*<span[^>]*>Appointment planned')
        self.assertIn("o_klusheeren_appointment", html)
        self.assertIn("Koelkast 2.21", html)
        # a token opens its own ticket only
        other = self.url_open(f"/my/ticket/{self.phone_ticket.id}?access_token={self.qr_ticket.access_token}")
        self.assertNotIn("Deur van de vergaderzaal", other.text)

    def test_reporter_page_on_resolved_ticket_invites_to_reopen(self):
        self.qr_ticket.stage_id = self.stage("resolved")
        html = self.url_open(self.qr_ticket.get_portal_url()).text
        self.assertIn("Not solved after all?", html)

    def test_query_count_of_the_list_does_not_grow(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        small = self.hot_query_count("/my/tickets")
        for _i in range(15):
            self.report(email="extra@example.com")
        large = self.hot_query_count("/my/tickets")
        self.assertEqual(small, large)
