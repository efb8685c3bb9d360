"""The privacy addon's cases of the attack suite (docs/SECURITY.md): real JSON-RPC and HTTP
requests, each asserting the refusal and an unchanged database."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin
from odoo.addons.klusheeren_helpdesk.tests.common import PNG

FINGERPRINT_SQL = {
    **HELPDESK_FINGERPRINT_SQL,
    "privacy_log": "SELECT count(*) FROM privacy_log",
}


@tagged("post_install", "-at_install", "klusheeren_security")
class TestPrivacyAttacks(AttackMixin, HttpCase):
    FINGERPRINT_SQL = FINGERPRINT_SQL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backoffice = new_test_user(
            cls.env,
            login="kh_priv_bo",
            password="kh_priv_bo_pw1",
            groups="base.group_user,klusheeren_base.group_klusheeren_user",
        )
        cls.portal = new_test_user(
            cls.env, login="kh_priv_portal", password="kh_priv_portal_pw1", groups="base.group_portal"
        )
        cls.manager = new_test_user(
            cls.env,
            login="kh_priv_mgr",
            password="kh_priv_mgr_pw1",
            groups="base.group_user,klusheeren_base.group_klusheeren_manager",
        )
        site = cls.env["res.partner"].create({"name": "Privacy locatie", "is_company": True})
        equipment = cls.env["maintenance.equipment"].create({"name": "Deur", "site_id": site.id})
        cls.ticket = cls.env["helpdesk.ticket"]._klusheeren_create_report(
            equipment, "De deur klemt.", "Pien Privé", "pien@example.com", "0611111111", [("p.png", PNG, "image/png")]
        )
        cls.partner = cls.ticket.partner_id
        cls.token = cls.ticket._portal_ensure_token()

    def test_p1_no_portal_login_exports_or_erases(self):
        self.authenticate("kh_priv_portal", "kh_priv_portal_pw1")
        for method in ("action_klusheeren_privacy_export", "action_klusheeren_privacy_erase"):
            with self.subTest(method=method):
                self.assertRpcRefused("res.partner", method, [self.partner.ids])

    def test_p2_back_office_without_the_managers_right_exports_nothing(self):
        self.authenticate("kh_priv_bo", "kh_priv_bo_pw1")
        for method in ("action_klusheeren_privacy_export", "action_klusheeren_privacy_erase"):
            with self.subTest(method=method):
                self.assertRpcRefused("res.partner", method, [self.partner.ids])

    def test_p3_anonymous_rpc_exports_nothing(self):
        with self.assertNothingChanges():
            with self.assertRaises(JsonRpcException):
                self.rpc("res.partner", "action_klusheeren_privacy_export", [self.partner.ids])

    def test_p4_the_anonymised_flag_and_date_cannot_be_written(self):
        self.authenticate("kh_priv_bo", "kh_priv_bo_pw1")
        self.assertRpcRefused("helpdesk.ticket", "write", [self.ticket.ids, {"klusheeren_anonymized": True}])
        self.assertRpcRefused(
            "res.partner", "write", [self.partner.ids, {"klusheeren_anonymized_date": "2020-01-01 00:00:00"}]
        )

    def test_p5_an_erased_reporters_link_is_dead(self):
        self.assertEqual(self.url_open(f"/my/ticket/{self.ticket.id}?access_token={self.token}").status_code, 200)
        self.ticket._klusheeren_set_stage("closed", notify=False)
        self.authenticate("kh_priv_mgr", "kh_priv_mgr_pw1")
        self.rpc("res.partner", "action_klusheeren_privacy_erase", [self.partner.ids])
        self.assertFalse(self.partner.email)
        self.authenticate(None, None)
        with self.assertNothingChanges():
            response = self.url_open(f"/my/ticket/{self.ticket.id}?access_token={self.token}", allow_redirects=False)
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn("Pien", response.text)
