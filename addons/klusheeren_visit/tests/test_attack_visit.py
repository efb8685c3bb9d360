"""The pre-visit page's cases of the attack suite (docs/SECURITY.md): each a real request,
asserting the refusal and an unchanged database."""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin
from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase

from .common import VisitCaseMixin, utc

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
FINGERPRINT_SQL = {
    **HELPDESK_FINGERPRINT_SQL,
    "visits": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, preferred_moments, date_confirmed,
                         access_token), ',' ORDER BY id)) FROM klusheeren_visit""",
    "remarks": "SELECT count(*) FROM klusheeren_visit_remark",
    "services": "SELECT count(*) FROM klusheeren_visit_service",
    "sms": "SELECT count(*) FROM sms_sms",
}


@tagged("post_install", "-at_install", "klusheeren_security")
class TestVisitAttacks(VisitCaseMixin, AttackMixin, KlusheerenPortalCase):
    FINGERPRINT_SQL = FINGERPRINT_SQL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()

    def setUp(self):
        super().setUp()
        self.order = self.new_order()
        self.visit = self.plan(self.order, utc(2027, 5, 20, 10, 0))
        self.token = self.visit.access_token

    def post(self, action, **fields):
        page = self.url_open(f"/my/visits/{self.visit.id}?access_token={self.token}")
        data = {"action": action, "access_token": self.token, "csrf_token": CSRF_RE.search(page.text).group(1)}
        return self.url_open(f"/my/visits/{self.visit.id}/update", data={**data, **fields}, allow_redirects=False)

    def contact(self, **fields):
        return self.post(
            "contact", **{"phone": "06 12345678", "email": "douwe@example.com", "channel": "email", **fields}
        )

    def test_v1_a_closed_orders_visit_changes_nothing(self):
        self.order.action_done()
        with self.assertNothingChanges():
            for action, data in (
                ("confirm", {}),
                ("reschedule", {"moments": "dinsdag"}),
                ("remark", {"subject": "Sleutel", "description": "bij de balie"}),
            ):
                with self.subTest(action=action):
                    self.post(action, **data)
            self.contact(email="ander@example.com")

    def test_v2_a_visit_whose_time_passed_changes_nothing(self):
        self.visit.sudo().write({"appointment_date": fields.Datetime.now() - timedelta(hours=2)})
        with self.assertNothingChanges():
            self.post("confirm")
            self.post("reschedule", moments="morgen")
            self.contact(email="ander@example.com")

    def test_v3_an_address_longer_than_254_or_not_valid_is_refused(self):
        for email in ("a" * 250 + "@example.com", "douwe@example.com\r\nBcc: x@evil.example", "douwe@@example.com"):
            with self.subTest(email=email[:20]), self.assertNothingChanges():
                self.contact(email=email)

    def test_v4_sms_without_a_phone_is_refused_on_the_server(self):
        for channel in ("sms", "both"):
            with self.subTest(channel=channel), self.assertNothingChanges():
                self.contact(phone="", channel=channel)

    def test_v5_a_phone_of_letters_or_too_long_is_refused(self):
        for phone in ("bel me", "0" * 41):
            with self.subTest(phone=phone), self.assertNothingChanges():
                self.contact(phone=phone)

    def test_v6_a_remark_subject_is_stored_on_one_line(self):
        self.post("remark", subject="Sleutel\r\nBcc: x@evil.example", description="balie")
        remark = self.visit.remark_ids
        self.assertEqual(len(remark), 1)
        self.assertNotRegex(remark.subject, r"[\r\n]")

    def test_v7_the_pages_actions_are_rate_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.action_limit_per_link", 1)
        self.post("confirm")
        with self.assertNothingChanges():
            self.assertEqual(self.post("reschedule", moments="dinsdag").status_code, 429)

    def test_v8_no_one_writes_the_visits_link_over_json_rpc(self):
        self.authenticate("kh_bo", "kh_boxxx")
        self.assertRpcRefused("klusheeren.visit", "write", [self.visit.ids, {"access_token": "bekend"}])

    def test_v9_a_portal_login_cannot_call_the_pages_methods_without_the_token(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        for method, args in (
            ("portal_confirm", [""]),
            ("portal_update_contact", ["", "0612345678", "x@example.com", "email"]),
        ):
            with self.subTest(method=method):
                self.assertRpcRefused("klusheeren.visit", method, [self.visit.ids, *args])
