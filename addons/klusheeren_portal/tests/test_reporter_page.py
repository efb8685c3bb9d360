import io
import re

from PIL import Image

from odoo.tests import tagged

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin

from .common import CSRF_RE, KEY_RE, PNG, KlusheerenPortalCase
from .light import LightPagesMixin
from .test_light_pages import FITS_JS, LIGHT_ONLY


@tagged("post_install", "-at_install")
class TestReporterPage(AttackMixin, LightPagesMixin, KlusheerenPortalCase):
    """The reporter's ticket page, opened from the e-mail's link by a visitor who is not logged in:
    a light page (issue 21) that works without JavaScript, its comment form included."""

    FINGERPRINT_SQL = {
        **HELPDESK_FINGERPRINT_SQL,
        "submissions": "SELECT count(*) FROM klusheeren_report_submission",
    }

    def setUp(self):
        super().setUp()
        self.ticket = self.report()
        self.ticket._portal_ensure_token()
        self.ticket.message_post(
            body="De monteur komt dinsdag.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.ticket.message_post(body="Interne notitie: lastige klant", subtype_xmlid="mail.mt_note")
        self.ticket._message_log(body="Logregel voor de back office")

    def page_url(self, ticket=None, token=None):
        ticket = ticket or self.ticket
        return f"/my/ticket/{ticket.id}?access_token={token or ticket.access_token}"

    def comments(self, ticket=None):
        ticket = ticket or self.ticket
        return ticket.message_ids.filtered(lambda m: m.author_id == ticket.partner_id and m.message_type == "comment")

    def post_comment(self, body="Het lekt nog steeds.", key=None, token=None, files=None, ticket=None, url=None):
        """The form as a browser without JavaScript sends it: its CSRF token and idempotency key."""
        page = self.url_open(url or self.page_url(ticket))
        self.assertEqual(page.status_code, 200)
        data = {
            "csrf_token": CSRF_RE.search(page.text).group(1),
            "idempotency_key": key or KEY_RE.search(page.text).group(1),
            "access_token": token or (ticket or self.ticket).access_token,
            "body": body,
        }
        return self.url_open(
            f"/my/ticket/{(ticket or self.ticket).id}/comment", data=data, files=files or {}, allow_redirects=False
        )

    def test_page_is_light(self):
        photo = io.BytesIO()
        Image.new("RGB", (1600, 1200), "#c33").save(photo, "JPEG")
        self.ticket.klusheeren_shared_attachment_ids = [
            (
                0,
                0,
                {
                    "name": "groot.jpg",
                    "raw": photo.getvalue(),
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket.id,
                },
            )
        ]
        response = self.url_open(self.page_url())
        self.assertLightPage(self.page_url(), response=response)
        self.assertNotIn("<script", response.text, "no JavaScript on the page")
        self.assertIn(self.ticket.number, response.text)
        self.assertIn("o_klusheeren_progress", response.text)
        # the photos as thumbnails at the size shown, loaded when scrolled to
        thumbs = re.findall(r'<img[^>]*src="(/web/image/\d+/96x96[^"]*)"[^>]*>', response.text)
        self.assertEqual(len(thumbs), 2, "the report's photo and the shared one")
        for tag in re.findall(r'<img[^>]*src="/web/image/\d+/96x96[^>]*>', response.text):
            self.assertIn('loading="lazy"', tag)
            self.assertIn('width="96"', tag)
        big = self.url_open(thumbs[-1].replace("&amp;", "&"))
        self.assertEqual(big.status_code, 200)
        self.assertLessEqual(max(Image.open(io.BytesIO(big.content)).size), 96)
        # the answers of the page: a refused and a resolved ticket, after a comment
        self.ticket._klusheeren_set_stage("resolved")
        self.assertLightPage(self.page_url())
        response = self.post_comment(body="")
        self.assertEqual(response.status_code, 400)
        self.assertLightPage(self.page_url(), status=400, response=response)

    def test_public_messages_only(self):
        page = self.url_open(self.page_url()).text
        self.assertIn("De monteur komt dinsdag.", page)
        self.assertNotIn("Interne notitie", page)
        self.assertNotIn("Logregel", page)

    def test_comment_without_javascript_posts_once(self):
        page = self.url_open(self.page_url()).text
        form = re.search(r"<form[^>]*o_klusheeren_comment_form[^>]*>", page).group(0)
        self.assertIn('method="post"', form)
        self.assertIn('enctype="multipart/form-data"', form)
        key = KEY_RE.search(page).group(1)
        before = self.ticket.message_ids
        followers = self.ticket.message_follower_ids
        photo = {"attachments": ("lek.png", PNG, "image/png")}
        response = self.post_comment(body="Het lekt nog steeds, zie foto.", key=key, files=photo)
        self.assertEqual(response.status_code, 303)
        self.assertIn("comment=sent", response.headers["Location"])
        message = self.ticket.message_ids - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.ticket.partner_id, "posted as the reporter, by the token")
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.attachment_ids.mapped("name"), ["lek.png"])
        self.assertEqual(self.ticket.message_follower_ids, followers, "nobody made a follower")
        shown = self.url_open(response.headers["Location"])
        self.assertIn("o_klusheeren_comment_sent", shown.text)
        self.assertIn("Het lekt nog steeds, zie foto.", shown.text)
        # the same submission again (a double tap, back and send again): nothing more
        again = self.post_comment(body="Het lekt nog steeds, zie foto.", key=key)
        self.assertEqual(again.status_code, 303)
        self.assertEqual(self.ticket.message_ids - before, message)

    def test_older_messages_on_request(self):
        for i in range(30):
            self.ticket.message_post(body=f"Bericht {i:02d}", message_type="comment", subtype_xmlid="mail.mt_comment")
        page = self.url_open(self.page_url()).text
        self.assertIn("Bericht 29", page)
        self.assertNotIn("De monteur komt dinsdag.", page, "the 30 newest only")
        self.assertIn("o_klusheeren_older_messages", page)
        page = self.url_open(self.page_url() + "&messages=all").text
        self.assertIn("De monteur komt dinsdag.", page)
        self.assertNotIn("o_klusheeren_older_messages", page)

    def test_comment_reopens_a_resolved_ticket(self):
        self.ticket._klusheeren_set_stage("resolved")
        response = self.post_comment(body="Hij doet het weer niet.")
        self.assertEqual(response.status_code, 303)
        self.assertIn("comment=reopened", response.headers["Location"])
        self.assertEqual(self.ticket.stage_id, self.stage("first_line"), "as the portal chatter's comment")
        self.assertEqual(self.ticket.klusheeren_reopen_count, 1)

    def test_wrong_token_is_refused_and_changes_nothing(self):
        page = self.url_open(self.page_url(token="x" * 43))
        self.assertEqual(page.status_code, 404)
        self.assertIn("o_klusheeren_ticket_denied", page.text)
        self.assertNotIn(self.ticket.number, page.text)
        other = self.report(self.other_equipment, email="ander@example.com")
        other._portal_ensure_token()
        csrf, key = self.form_tokens(self.page_url())
        for ticket_id, token in ((self.ticket.id, "x" * 43), (self.ticket.id, other.access_token), (other.id, "")):
            with self.subTest(ticket=ticket_id, token=token), self.assertNothingChanges():
                response = self.url_open(
                    f"/my/ticket/{ticket_id}/comment",
                    data={"csrf_token": csrf, "idempotency_key": key, "access_token": token, "body": "Namens mij"},
                )
                self.assertEqual(response.status_code, 404)
                self.assertIn("o_klusheeren_ticket_denied", response.text)
                self.assertNotIn("Koelkast", response.text)

    def test_key_of_another_report_posts_nothing(self):
        other = self.report(self.other_equipment, email="ander@example.com")
        other._portal_ensure_token()
        key = KEY_RE.search(self.url_open(self.page_url()).text).group(1)
        self.assertEqual(self.post_comment(key=key).status_code, 303)
        with self.assertNothingChanges():
            response = self.post_comment(ticket=other, key=key)
        self.assertEqual(response.status_code, 409)
        self.assertIn("o_klusheeren_comment_errors", response.text)

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.action_limit_per_link", 1)
        self.assertEqual(self.post_comment(body="Eerste").status_code, 303)
        with self.assertNothingChanges():
            response = self.post_comment(body="Tweede")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(self.comments()), 1)

    def test_logged_in_users_keep_the_full_page(self):
        self.ticket.partner_id = self.customer_user.partner_id
        self.authenticate("kh_klant", "kh_klant_pw1")
        page = self.url_open(self.page_url()).text
        self.assertIn("/web/assets/", page, "helpdesk_mgmt's page with Odoo's bundles")
        self.assertNotIn("o_klusheeren_reporter_page", page)

    def test_page_fits_a_phone(self):
        """Chromium at 390 x 844: a long title, a long message and the photos, without JavaScript's help."""
        self.ticket.name = "Koffiemachine met een heel erg lange naam voor de pantry op de tweede verdieping"
        self.ticket.message_post(
            body="https://example.com/" + "heel-lange-link-zonder-spaties-" * 8,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.ticket._klusheeren_set_stage("resolved")
        self.browser_js(self.page_url(), FITS_JS, timeout=60, cookies=LIGHT_ONLY)
