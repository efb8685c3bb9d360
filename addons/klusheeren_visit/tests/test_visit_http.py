import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.klusheeren_helpdesk.tests.common import PNG
from odoo.addons.klusheeren_portal.tests.common import JPEG_HEADER, KlusheerenPortalCase

from .common import VisitCaseMixin, utc

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestVisitPage(VisitCaseMixin, KlusheerenPortalCase):
    """The pre-visit page over HTTP: every action, and the abuse cases of the other token pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()

    def setUp(self):
        super().setUp()
        self.order = self.new_order()
        self.visit = self.plan(self.order, utc(2027, 5, 20, 10, 0))
        self.token = self.visit.access_token

    def url(self, visit=None, token=None):
        visit = visit or self.visit
        return f"/my/visits/{visit.id}?access_token={self.token if token is None else token}"

    def post(self, action, token=None, files=None, csrf=True, **fields):
        data = {"action": action, "access_token": self.token if token is None else token, **fields}
        if csrf:
            data["csrf_token"] = CSRF_RE.search(self.url_open(self.url()).text).group(1)
        return self.url_open(f"/my/visits/{self.visit.id}/update", data=data, files=files or {}, allow_redirects=False)

    def follow(self, response):
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(response.headers["Location"].split("/my/visits/")[1], self.url().split("/my/visits/")[1])
        return self.url_open(response.headers["Location"]).text

    def snapshot(self):
        self.visit.invalidate_recordset()
        partner = self.visit.partner_id
        return (
            self.visit.state,
            self.visit.preferred_moments,
            len(self.visit.remark_ids),
            len(self.visit.service_ids),
            partner.phone,
            partner.email,
            partner.klusheeren_notify_channel,
            self.env["ir.attachment"].search_count([("res_model", "=", "klusheeren.visit.remark")]),
            len(self.order.line_ids),
        )

    # ------------------------------------------------------------------
    def test_page_shows_appointment_planned_and_optional_services_in_dutch(self):
        response = self.url_open(self.url())
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Uw afspraak", page)
        self.assertIn("donderdag 20 mei 2027, 10:00", page, "in the location's time, in Dutch")
        self.assertIn("Koeltechniek Jansen", page)
        self.assertIn("Koelkast 2.21", page)
        self.assertIn("Laan van Kronenburg 14", page)
        self.assertIn("Thermostaat vervangen", page)
        self.assertIn("121,00", page, "100.00 excl. VAT is 121.00 incl. 21% VAT")
        self.assertIn("151,25", page, "total incl. VAT: (100 + 2 x 12.50) x 1.21")
        self.assertIn("Koelkast reinigen", page)
        self.assertIn("48,40", page)
        self.assertIn("https://example.com/reinigen", page)
        self.assertNotIn("Niet voor deze koelkast", page, "options of another category are not offered")
        self.assertIn("Bevestig de afspraak", page)
        self.assertNotIn(self.order.access_token, page, "the contractor's token never appears")

    def test_wrong_or_missing_token_is_the_same_404_without_data(self):
        other = self.plan(self.new_order(email="ander@example.com"), utc(2027, 5, 21, 10, 0))
        answers = set()
        for url in (
            f"/my/visits/{self.visit.id}",
            f"/my/visits/{self.visit.id}?access_token=",
            f"/my/visits/{self.visit.id}?access_token={'x' * 43}",
            f"/my/visits/{self.visit.id}?access_token={other.access_token}",
            f"/my/visits/{self.visit.id}?access_token={self.order.access_token}",
            f"/my/visits/{self.visit.id}?access_token={self.token[:-1]}",
            f"/my/visits/999999?access_token={self.token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            for secret in ("Koelkast 2.21", "Douwe", "Koeltechniek", "Laan van Kronenburg", 'name="csrf_token"'):
                self.assertNotIn(secret, response.text, url)
            # what the website layout derives from the URL (language links) and the time-stamped
            # CSRF token of the session is left out of the comparison: the rest must be identical
            text = re.sub(r'\s*<link rel="alternate"[^>]*>', "", response.text)
            text = re.sub(r'csrf_token: "[^"]*"', "", text)
            text = re.sub(r"/my/visits/[^\"'<> ]*", "", text)
            answers.add(re.sub(r"\s+", " ", text))
        self.assertEqual(len(answers), 1, "one answer for every wrong link: nothing to tell them apart")

    def test_wrong_token_post_changes_nothing(self):
        other = self.plan(self.new_order(email="ander@example.com"), utc(2027, 5, 21, 10, 0))
        before = self.snapshot()
        for token in ("", "x" * 43, other.access_token, self.order.access_token):
            for action, fields in (
                ("confirm", {}),
                ("reschedule", {"moments": "later"}),
                ("contact", {"phone": "0611111111", "email": "evil@example.com", "channel": "sms"}),
                ("remark", {"subject": "evil"}),
                ("accept", {"option_id": str(self.option.id)}),
            ):
                response = self.post(action, token=token, **fields)
                self.assertEqual(response.status_code, 404, (token, action))
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(other.state, "planned")

    @mute_logger("odoo.http")
    def test_post_without_csrf_is_refused(self):
        before = self.snapshot()
        self.assertEqual(self.post("confirm", csrf=False).status_code, 400)
        self.assertEqual(self.snapshot(), before)

    def test_confirm_tells_the_contractor_and_the_responsible(self):
        page = self.follow(self.post("confirm"))
        self.assertIn("Dank u: de afspraak is bevestigd.", page)
        self.assertEqual(self.visit.state, "confirmed")
        self.assertEqual(self.order.klusheeren_checkin_state, "confirmed")
        self.assertFalse(self.order.klusheeren_checkin_todo)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "klusheeren.visit"),
                ("res_id", "=", self.visit.id),
                ("email_to", "ilike", "planning@jansen.example.com"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("afspraak bevestigd", mail.subject)
        self.assertIn(f"/my/work-orders/{self.order.id}?access_token={self.order.access_token}", mail.body_html)
        self.assertNotIn(self.token, mail.body_html, "the contact's token never goes to the contractor")
        note = self.order.message_ids.filtered(lambda m: "bevestigd" in (m.body or "") or "confirmed" in (m.body or ""))
        self.assertEqual(note[:1].partner_ids, self.order.user_id.partner_id, "the responsible is told")
        page = self.follow(self.post("confirm"))
        self.assertIn("De afspraak was al bevestigd.", page)

    def test_another_time_needs_moments_then_pins_the_work_order(self):
        before = self.snapshot()
        page = self.follow(self.post("reschedule", moments="   "))
        self.assertIn("Zeg wanneer u liever bezocht wordt.", page)
        page = self.follow(self.post("reschedule", moments="x" * 1001))
        self.assertIn("onder 1000 tekens", page)
        self.assertIn("x" * 1001, page, "what was typed is shown again")
        self.assertEqual(self.snapshot(), before)
        self.follow(self.post("reschedule", moments="Dinsdag of donderdag na 13:00"))
        self.assertEqual(self.visit.state, "reschedule")
        self.assertEqual(self.visit.preferred_moments, "Dinsdag of donderdag na 13:00")
        self.assertTrue(self.order.klusheeren_checkin_todo, "pinned until handled")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "klusheeren.visit"),
                ("res_id", "=", self.visit.id),
                ("email_to", "ilike", "planning@jansen.example.com"),
            ]
        )
        self.assertIn("Dinsdag of donderdag na 13:00", mail.body_html)
        contractor_page = self.url_open(self.work_order_url(self.order)).text
        self.assertIn("Dinsdag of donderdag na 13:00", contractor_page)
        # the contractor sets a new date on its page: the request is handled, a new confirmation asked
        self.order.contractor_save({"appointment_date": utc(2027, 5, 27, 13, 30)})
        self.assertEqual(self.visit.state, "planned")
        self.assertFalse(self.order.klusheeren_checkin_todo)

    def test_contact_details_are_validated_normalised_and_logged(self):
        partner = self.visit.partner_id
        before = self.snapshot()
        for fields, message in (
            ({"phone": "12", "email": "douwe@example.com", "channel": "sms"}, "geen geldig telefoonnummer"),
            ({"phone": "", "email": "douwe@example.com", "channel": "sms"}, "Geef een mobiel nummer"),
            ({"phone": "0612345678", "email": "geen-adres", "channel": "email"}, "geen geldig e-mailadres"),
            ({"phone": "0612345678", "email": "douwe@example.com", "channel": "fax"}, "Kies e-mail, sms of beide."),
            ({"phone": "0612345678", "email": "", "channel": "email"}, "Er is een e-mailadres nodig"),
        ):
            page = self.follow(self.post("contact", **fields))
            self.assertIn(message, page, fields)
        self.assertEqual(self.snapshot(), before)
        messages_before = len(partner.message_ids)
        page = self.follow(
            self.post("contact", phone="06 - 1111 2222", email="Douwe.Nieuw@Example.com", channel="both")
        )
        self.assertIn("Uw contactgegevens zijn opgeslagen.", page)
        self.assertEqual(partner.phone, "+31611112222")
        self.assertEqual(partner.email, "douwe.nieuw@example.com")
        self.assertEqual(partner.klusheeren_notify_channel, "both")
        new = partner.message_ids[: len(partner.message_ids) - messages_before]
        tracked = new.tracking_value_ids.mapped("field_id.name")
        self.assertEqual(set(tracked), {"phone", "email", "klusheeren_notify_channel"}, "every change in the chatter")
        self.assertTrue(any("pre-visit" in (m.body or "") or "check-in" in (m.body or "") for m in new))
        page = self.follow(self.post("contact", phone="+31611112222", email="douwe.nieuw@example.com", channel="both"))
        self.assertIn("Er is niets gewijzigd.", page)

    def test_remark_with_photo_for_the_contractor_and_to_work_order_line(self):
        page = self.follow(
            self.post(
                "remark",
                subject="Sleutel",
                description="Bel aan bij de receptie.",
                visible_to_contractor="on",
                files={"attachments": ("deur.png", PNG, "image/png")},
            )
        )
        self.assertIn("uw opmerking is toegevoegd", page)
        remark = self.visit.remark_ids
        self.assertEqual(
            (remark.subject, remark.description, remark.visible_to_contractor),
            ("Sleutel", "Bel aan bij de receptie.", True),
        )
        self.assertEqual(remark.attachment_ids.mapped("name"), ["deur.png"])
        self.assertEqual(remark.attachment_ids.mimetype, "image/png")
        self.assertTrue(self.order.klusheeren_checkin_todo)
        # the contractor sees it, with the photo, on its page
        contractor_page = self.url_open(self.work_order_url(self.order)).text
        self.assertIn("Bel aan bij de receptie.", contractor_page)
        file_url = (
            f"/my/work-orders/{self.order.id}/file/{remark.attachment_ids.id}?access_token={self.order.access_token}"
        )
        self.assertIn(file_url.replace("&", "&amp;"), contractor_page.replace("&amp;", "&").replace("&", "&amp;"))
        self.assertEqual(self.url_open(file_url).content, PNG)
        # a hidden remark stays hidden
        self.follow(self.post("remark", subject="Alleen voor KlusHeeren", description="Geheim"))
        self.assertNotIn("Geheim", self.url_open(self.work_order_url(self.order)).text)
        # one click: a work order line
        remark.action_to_work_order_line()
        self.assertEqual(remark.state, "done")
        self.assertEqual(remark.line_id.work_order_id, self.order)
        self.assertEqual(remark.line_id.name, "Sleutel: Bel aan bij de receptie.")

    def test_bad_uploads_are_refused_with_a_clear_message(self):
        before = self.snapshot()
        page = self.follow(
            self.post("remark", subject="Tekst", files={"attachments": ("virus.png", b"MZ not an image", "image/png")})
        )
        self.assertIn("is geen foto of pdf", page.lower())
        big = JPEG_HEADER + b"\0" * (10 * 1024 * 1024)
        page = self.follow(
            self.post("remark", subject="Groot", files={"attachments": ("groot.jpg", big, "image/jpeg")})
        )
        self.assertIn("groter dan 10 MB", page)
        many = [("attachments", (f"f{i}.png", PNG, "image/png")) for i in range(11)]
        page = self.follow(self.post("remark", subject="Veel", files=many))
        self.assertIn("hoogstens 10 bestanden", page.lower())
        page = self.follow(self.post("remark", subject="", description="Geen onderwerp"))
        self.assertIn("Geef uw opmerking een onderwerp.", page)
        page = self.follow(self.post("remark", subject="s" * 201))
        self.assertIn("onder 200 tekens", page)
        self.assertEqual(self.snapshot(), before)

    def test_optional_service_accept_or_ask_then_work_order_line(self):
        page = self.follow(self.post("accept", option_id=str(self.option.id)))
        self.assertIn("de dienst is aan uw afspraak toegevoegd", page)
        service = self.visit.service_ids
        self.assertEqual((service.option_id, service.choice, service.price_incl), (self.option, "accepted", 48.40))
        self.assertTrue(self.order.klusheeren_checkin_todo)
        self.assertIn("Koelkast reinigen", self.url_open(self.work_order_url(self.order)).text)
        page = self.follow(self.post("ask", option_id=str(self.option.id)))
        self.assertIn("We nemen contact met u op", page)
        self.assertEqual(len(self.visit.service_ids), 1)
        self.assertEqual(service.choice, "contact")
        self.follow(self.post("accept", option_id=str(self.option.id)))
        before = self.snapshot()
        for bad in (str(self.option_other.id), "abc", "", "99999999"):
            page = self.follow(self.post("accept", option_id=bad))
            self.assertIn("Deze dienst wordt voor deze afspraak niet aangeboden.", page, bad)
        self.assertEqual(self.snapshot(), before)
        service.action_to_work_order_line()
        self.assertEqual(service.line_id.price_unit, 40.0, "48.40 incl. 21% VAT")
        self.assertEqual(service.line_id.name, "Koelkast reinigen")
        self.assertFalse(self.order.klusheeren_checkin_todo, "handled: no longer pinned")
        page = self.follow(self.post("ask", option_id=str(self.option.id)))
        self.assertIn("al afgehandeld", page)

    def test_notes_to_the_responsible_in_their_language(self):
        """The contact's answers reach the responsible in the responsible's language, whatever
        language the page was read in ("…, Koelkast reinigen: Geaccepteerd", never "…: Accepted")."""
        responsible = self.order.user_id
        self.assertTrue(responsible)
        Visit = self.env["klusheeren.visit"]
        for lang, page_lang, accepted, confirmed in (
            ("nl_NL", "en_US", "Koelkast reinigen: Geaccepteerd", "bevestigde de afspraak"),
            ("en_US", "nl_NL", "Koelkast reinigen: Accepted", "confirmed the appointment"),
        ):
            responsible.lang = lang
            visit = Visit.with_context(lang=page_lang).browse(self.visit.id)
            visit.portal_answer_option(self.token, self.option.id, "accepted")
            self.visit.state = "planned"
            visit.portal_confirm(self.token)
            notes = self.order.message_ids[:2].mapped("body")
            self.assertIn(accepted, str(notes[1]), lang)
            self.assertIn(confirmed, str(notes[0]), lang)

    def test_unknown_action_and_closed_work_order(self):
        before = self.snapshot()
        self.assertIn("Onbekende actie.", self.follow(self.post("delete")))
        self.order.action_cancel()
        page = self.follow(self.post("confirm"))
        self.assertIn("Deze afspraak kan hier niet meer worden gewijzigd.", page)
        self.assertEqual(self.snapshot(), before)

    def test_model_methods_check_the_token_before_sudo(self):
        portal = new_test_user(self.env, login="kh_visit_portal", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        for user in (portal, public, self.contractor_user):
            visit = self.env["klusheeren.visit"].with_user(user).browse(self.visit.id)
            for call in (
                lambda v: v.portal_confirm("x" * 43),
                lambda v: v.portal_confirm(self.order.access_token),
                lambda v: v.portal_confirm(None),
                lambda v: v.portal_reschedule("x", "later"),
                lambda v: v.portal_update_contact("x", "0611111111", "evil@example.com", "sms"),
                lambda v: v.portal_add_remark("x", "s", "d"),
                lambda v: v.portal_answer_option("x", self.option.id, "accepted"),
            ):
                with self.assertRaises(AccessError):
                    call(visit)
            with self.assertRaises(AccessError):
                visit.read(["access_token"])
        self.assertEqual(self.visit.state, "planned")
        self.assertFalse(self.visit.remark_ids)
        # the back office reads the token; a contractor's portal user reads no visit at all
        self.assertTrue(self.visit.with_user(self.backoffice).access_token)

    def test_token_is_256_bits_and_not_the_work_orders(self):
        self.assertGreaterEqual(len(self.token), 43)
        self.assertNotEqual(self.token, self.order.access_token)
        self.assertEqual(self.visit.access_url, f"/my/visits/{self.visit.id}")

    def test_page_query_count(self):
        count = self.hot_query_count(self.url())
        self.assertLessEqual(count, 22, f"{count} queries for the pre-visit page (19 when written)")

    def test_contractor_pdf_shows_what_the_customer_approved(self):
        self.follow(
            self.post("remark", subject="Hond in de tuin", description="Bel eerst aan.", visible_to_contractor="on")
        )
        self.follow(self.post("remark", subject="Intern", description="Niet voor de monteur"))
        self.follow(self.post("accept", option_id=str(self.option.id)))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("klusheeren_helpdesk.action_report_work_order", self.order.ids)[0]
            .decode()
        )
        self.assertIn("Hond in de tuin", html)
        self.assertIn("Bel eerst aan.", html)
        self.assertIn("Koelkast reinigen", html)
        self.assertNotIn("Niet voor de monteur", html)


@tagged("post_install", "-at_install")
class TestReportFormChannel(KlusheerenPortalCase):
    """The QR report form asks the preferred channel; SMS needs a valid mobile number."""

    def test_sms_needs_a_valid_number_then_the_new_contact_gets_the_channel(self):
        before = self.Ticket.search_count([])
        response = self.post_report(email="nieuw.sms@example.com", phone="12", notify_channel="sms")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Give a valid mobile phone number to receive SMS.", response.text)
        self.assertIn('value="nieuw.sms@example.com"', response.text, "nothing typed is lost")
        self.assertEqual(self.Ticket.search_count([]), before)
        response = self.post_report(email="nieuw.sms@example.com", phone="06 1234 5678", notify_channel="sms")
        self.assertEqual(response.status_code, 200)
        partner = self.env["res.partner"].search([("email", "=", "nieuw.sms@example.com")])
        self.assertEqual(partner.klusheeren_notify_channel, "sms")
        self.assertIn('name="notify_channel"', self.url_open(self.qr_url()).text)
