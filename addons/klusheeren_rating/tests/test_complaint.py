import re

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import PNG, KlusheerenRatingCase


@tagged("post_install", "-at_install")
class TestComplaintFlow(HttpCase, KlusheerenRatingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order()
        cls.ticket = cls.order.ticket_id
        cls.ticket._portal_ensure_token()
        cls.order.klusheeren_rating_id.action_submit(
            {"speed": 2, "communication": 3, "quality": 1, "solved": "yes", "comment": "Traag"}
        )
        cls.order.sudo().write({"internal_note": "<p>Geheime afspraak over de prijs</p>"})
        cls.ticket.message_post(
            body="De monteur komt morgen om 9 uur.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        cls.ticket.message_post(body="Interne notitie: lastige klant", subtype_xmlid="mail.mt_note")
        cls.Complaint = cls.env["klusheeren.complaint"]

    def _ticket_page(self, token=None):
        return self.url_open(f"/my/ticket/{self.ticket.id}?access_token={token or self.ticket.access_token}")

    def _file(self, token=None, files=None, **data):
        page = self._ticket_page().text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        payload = {
            "csrf_token": csrf,
            "access_token": token or self.ticket.access_token,
            "reason": "quality",
            "description": "Er lekt nog steeds water.",
            **data,
        }
        return self.url_open(
            f"/my/ticket/{self.ticket.id}/complaint",
            data=payload,
            files=files or {},
            allow_redirects=False,
        )

    def test_ticket_page_offers_rating_and_complaint_form(self):
        page = self._ticket_page()
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_kh_complaint_form", page.text)
        # (the form's URL carries the page's language, "/en/my/..." where English is not the default)
        self.assertRegex(page.text, rf'action="(/[a-z]{{2}}(_[A-Z]{{2}})?)?/my/ticket/{self.ticket.id}/complaint"')
        rating = self.order.klusheeren_rating_id
        self.assertIn(f"/klusheeren/rating/{rating.id}?access_token={rating.access_token}", page.text)

    def test_wrong_ticket_token_files_nothing(self):
        response = self._file(token="x" * 32)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.Complaint.search([("ticket_id", "=", self.ticket.id)]))

    def test_complaint_flow_with_mails(self):
        self.Mail.search([]).unlink()
        response = self._file(files={"photos": ("lek.png", PNG, "image/png")})
        self.assertEqual(response.status_code, 303)
        self.assertIn("complaint=sent", response.headers["Location"])
        complaint = self.Complaint.search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.state, "sent")
        self.assertEqual(complaint.work_order_id, self.order)
        self.assertEqual(complaint.contractor_id, self.contractor)
        self.assertEqual(complaint.partner_id, self.reporter)
        self.assertEqual(complaint.user_id, self.backoffice)
        self.assertEqual(complaint.photo_ids.mapped("name"), ["lek.png"])
        self.assertTrue(complaint.name.startswith("KH-K-"))
        self.assertIn("Your complaint has been filed", self.url_open(response.headers["Location"]).text)

        # the reporter: received, in Dutch
        received = self._mails(complaint, self.reporter)
        self.assertEqual(len(received), 1)
        self.assertEqual(
            received.subject,
            f"We hebben uw klacht {complaint.name} over melding {self.ticket.number} ontvangen",
        )
        # the contractor: in Dutch, with the link to the complaint page and the photo
        to_contractor = self._mails(complaint, self.contractor)
        self.assertEqual(len(to_contractor), 1)
        self.assertEqual(to_contractor.subject, f"Klacht {complaint.name} over opdracht {self.order.name}")
        link = f"/klusheeren/complaint/{complaint.id}?access_token={complaint.access_token}"
        self.assertIn(link, to_contractor.body_html)
        self.assertIn("Kwaliteit van het werk", to_contractor.body_html)
        self.assertIn("Er lekt nog steeds water.", to_contractor.body_html)
        self.assertEqual(to_contractor.attachment_ids.mapped("name"), ["lek.png"])
        self.assertNotIn(self.reporter, to_contractor.recipient_ids)

        # the contractor's page: ticket, work order, timeline, rating; no internal notes
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        for text in (
            self.ticket.number,
            self.order.name,
            "De monteur komt morgen om 9 uur.",
            "Er lekt nog steeds water.",
            "Traag",
            "lek.png",
        ):
            self.assertIn(text, page.text)
        for secret in ("Interne notitie", "Geheime afspraak", self.order.access_token, self.ticket.access_token):
            self.assertNotIn(secret, page.text)

        # the contractor answers: the responsible user is told
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/klusheeren/complaint/{complaint.id}",
            data={"csrf_token": csrf, "access_token": complaint.access_token, "feedback": "We komen donderdag terug."},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(complaint.state, "answered")
        self.assertEqual(complaint.contractor_feedback, "We komen donderdag terug.")
        self.assertTrue(complaint.date_answered)
        notified = self._mails(complaint, self.backoffice.partner_id).filtered(
            lambda m: "We komen donderdag terug." in m.body_html
        )
        self.assertEqual(len(notified), 1)

        # the back office closes it: the reporter hears the outcome, in Dutch
        with self.assertRaises(UserError):
            complaint.with_user(self.backoffice).action_resolve()
        complaint.with_user(self.backoffice).write({"resolution": "De lekbak is vervangen."})
        complaint.with_user(self.backoffice).action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertTrue(complaint.date_closed)
        outcome = self._mails(complaint, self.reporter).filtered(lambda m: m.id not in received.ids)
        self.assertEqual(len(outcome), 1)
        self.assertEqual(outcome.subject, f"Uw klacht {complaint.name} is afgehandeld")
        self.assertIn("De lekbak is vervangen.", outcome.body_html)
        self.assertIn("opgelost", outcome.body_html)
        # closed: the contractor can no longer answer
        page = self.url_open(link).text
        self.assertNotIn('name="feedback"', page)
        with self.assertRaises(UserError):
            complaint.contractor_answer("Nog iets")

    def test_wrong_complaint_token_is_404(self):
        complaint = self.Complaint._klusheeren_file(self.ticket, "speed", "Duurde te lang")
        other_order = self._order(name="Vriezer")
        other = self.Complaint._klusheeren_file(other_order.ticket_id, "other", "Nog een")
        for token in ("", "x" * 32, other.access_token, self.ticket.access_token, self.order.access_token):
            response = self.url_open(f"/klusheeren/complaint/{complaint.id}?access_token={token}")
            self.assertEqual(response.status_code, 404, token)
            self.assertNotIn(self.ticket.number, response.text)

    def test_rejected_outcome_in_english(self):
        order = self._order(reporter=self.reporter_en, contractor=self.contractor_en, name="Boiler")
        complaint = self.Complaint._klusheeren_file(order.ticket_id, "communication", "Nobody called me back.")
        to_contractor = self._mails(complaint, self.contractor_en)
        self.assertEqual(to_contractor.subject, f"Complaint {complaint.name} about work order {order.name}")
        complaint.resolution = "The contractor called you twice; we do not uphold the complaint."
        complaint.action_reject()
        self.assertEqual(complaint.state, "rejected")
        outcome = self._mails(complaint, self.reporter_en).filtered(lambda m: "handled" in m.subject)
        self.assertEqual(outcome.subject, f"Your complaint {complaint.name} has been handled")
        self.assertIn("not upheld", outcome.body_html)
        self.assertIn("called you twice", outcome.body_html)
        complaint.action_reopen()
        self.assertEqual(complaint.state, "new")

    def test_filing_rules(self):
        with self.assertRaises(UserError):
            self.Complaint._klusheeren_file(self.ticket, "quality", "   ")
        with self.assertRaises(UserError):
            self.Complaint._klusheeren_file(self.ticket, "bogus", "Tekst")
        with self.assertRaises(UserError):
            self.Complaint._klusheeren_file(
                self.ticket, "quality", "Tekst", [("virus.exe", b"MZ...", "application/x-msdownload")]
            )
        with self.assertRaises(UserError):
            self.Complaint._klusheeren_file(
                self.ticket, "quality", "Tekst", [("groot.png", b"0" * (10 * 1024 * 1024 + 1), "image/png")]
            )
        self.assertFalse(self.Complaint.search([("ticket_id", "=", self.ticket.id)]))
        # a ticket without a work order: the complaint stays with the back office
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(klusheeren_no_mail=True)
            .create(
                {
                    "name": "Printer",
                    "description": "<p>Printer doet het niet</p>",
                    "partner_id": self.reporter.id,
                    "user_id": self.backoffice.id,
                }
            )
        )
        complaint = self.Complaint._klusheeren_file(ticket, "other", "Niemand reageert")
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.contractor_id)
        self.assertEqual(complaint.activity_ids.user_id, self.backoffice)

    def test_bad_upload_shows_the_error_on_the_ticket_page(self):
        response = self._file(files={"photos": ("virus.exe", b"MZ\x90\x00" * 10, "application/octet-stream")})
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("complaint=sent", response.headers["Location"])
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("Your complaint could not be filed", page)
        self.assertIn("Er lekt nog steeds water.", page, "the typed description is kept")
        self.assertRegex(page, r'<option value="quality" selected')
        self.assertFalse(self.Complaint.search([("ticket_id", "=", self.ticket.id)]))
