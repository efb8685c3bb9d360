import uuid

from odoo.tests import tagged

from .common import JPEG_HEADER, PNG, KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestCompanyRequestForm(KlusheerenPortalCase):
    """/new/ticket of helpdesk_mgmt as the company portal's own request form (seed 003)."""

    def as_customer(self):
        self.authenticate("kh_klant", "kh_klant_pw1")

    def submit(self, files=None, **fields):
        data = {
            "subject": "Koelkast lekt",
            "description": "Er ligt water onder de koelkast.",
            "site": str(self.site.id),
            "csrf_token": self.csrf("/new/ticket"),
            "idempotency_key": uuid.uuid4().hex,
            **fields,
        }
        return self.url_open("/submitted/ticket", data=data, files=files or [], allow_redirects=False)

    def new_tickets(self, before):
        return self.env["helpdesk.ticket"].search([("id", "not in", before.ids)])

    def test_form_offers_own_sites_and_their_equipment_only(self):
        self.as_customer()
        page = self.url_open("/new/ticket").text
        self.assertIn('id="kh_site"', page)
        self.assertIn(f'value="{self.site.id}"', page)
        self.assertNotIn(f'value="{self.other_site.id}"', page)
        for equipment in (self.equipment, self.equipment_en, self.equipment_none):
            self.assertIn(f'value="{equipment.id}"', page)
        self.assertNotIn("Vaatwasser", page, "equipment of another company")
        self.assertIn('id="kh_share_company" value="company" checked', page.replace('checked="checked"', "checked"))

    def test_request_with_site_equipment_and_files(self):
        self.as_customer()
        before = self.env["helpdesk.ticket"].search([])
        response = self.submit(
            equipment=str(self.equipment.id),
            files=[
                ("attachment", ("water.png", PNG, "image/png")),
                ("attachment", ("bon.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")),
            ],
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.new_tickets(before)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(response.headers["Location"].split("?")[0].rsplit("/", 1)[-1], str(ticket.id))
        self.assertEqual((ticket.site_id, ticket.equipment_id), (self.site, self.equipment))
        self.assertEqual(ticket.partner_id, self.customer_user.partner_id)
        self.assertEqual(ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web"))
        self.assertFalse(ticket.klusheeren_private, "shared with the company by default")
        self.assertEqual(sorted(ticket._klusheeren_photos().mapped("name")), ["bon.pdf", "water.png"])
        self.assertFalse(ticket.user_id, "never assigned to the portal user")
        self.assertIn(self.customer_user.partner_id, ticket.message_partner_ids)
        # the colleague sees it in the company's list
        self.authenticate("kh_collega", "kh_collega_pw1")
        self.assertIn("Koelkast lekt", self.url_open("/my/tickets").text)

    def test_only_me_is_hidden_from_colleagues(self):
        self.as_customer()
        before = self.env["helpdesk.ticket"].search([])
        self.submit(subject="Persoonlijke vraag", share="me")
        ticket = self.new_tickets(before)
        self.assertTrue(ticket.klusheeren_private)
        self.assertIn("Persoonlijke vraag", self.url_open("/my/tickets").text)
        self.assertEqual(self.url_open(f"/my/ticket/{ticket.id}").status_code, 200)
        self.authenticate("kh_collega", "kh_collega_pw1")
        self.assertNotIn("Persoonlijke vraag", self.url_open("/my/tickets").text)
        response = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "the colleague is sent away")
        self.assertFalse(self.env["helpdesk.ticket"].with_user(self.colleague).search([("id", "=", ticket.id)]))

    def test_bad_input_is_answered_and_kept(self):
        self.as_customer()
        # the messages as an English page says them, whatever the website's default language
        self.opener.cookies.set("frontend_lang", "en_US")
        before = self.env["helpdesk.ticket"].search([])
        cases = {
            "no site": ({"site": ""}, "Choose the site of the request."),
            "another company's site": ({"site": str(self.other_site.id)}, "Choose one of your sites."),
            "equipment elsewhere": ({"equipment": str(self.other_equipment.id)}, "Choose equipment at the chosen site"),
            "no description": ({"description": ""}, "Give a subject (at most 200 characters) and a description."),
            "junk site": ({"site": "1 OR 1=1"}, "Choose from the list."),
        }
        for name, (fields, message) in cases.items():
            with self.subTest(name):
                response = self.submit(**fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                if fields.get("description") != "":
                    self.assertIn("Er ligt water onder de koelkast.", response.text, "what was typed is kept")
                self.assertIn('value="Koelkast lekt"', response.text)
        big = JPEG_HEADER + b"\x00" * (10 * 1024 * 1024)
        response = self.submit(files=[("attachment", ("groot.jpg", big, "image/jpeg"))])
        self.assertEqual(response.status_code, 400)
        self.assertIn("10 MB", response.text)
        self.assertFalse(self.new_tickets(before), "nothing created")

    def test_back_office_requests_for_the_company_show_in_the_list(self):
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        self.env["helpdesk.ticket"].with_user(self.backoffice).create(
            {
                "name": "Telefonisch: lamp kapot",
                "description": "<p>In de gang</p>",
                "site_id": self.site.id,
                "channel_id": phone.id,
                "partner_name": "Receptie",
                "partner_email": "receptie@example.com",
            }
        )
        self.env["helpdesk.ticket"].with_user(self.backoffice).create(
            {
                "name": "Per mail: deur klemt",
                "description": "<p>Voordeur</p>",
                "channel_id": email.id,
                "partner_id": self.colleague.partner_id.id,
            }
        )
        self.as_customer()
        page = self.url_open("/my/tickets").text
        self.assertIn("Telefonisch: lamp kapot", page)
        self.assertIn("Per mail: deur klemt", page)
