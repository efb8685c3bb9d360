from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import KlusheerenPortalCase

URL = "https://www.example.nl/privacy"


@tagged("post_install", "-at_install")
class TestPrivacyNotice(KlusheerenPortalCase):
    """Every public form shows the short privacy notice, linking the configured statement."""

    def notice_links(self, html, url=URL):
        self.assertIn("o_klusheeren_privacy_notice", html)
        self.assertIn(f'href="{url}"', html)

    def test_the_forms_show_the_notice_and_link_the_statement(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.privacy_url", URL)
        self.notice_links(self.url_open(self.qr_url()).text)
        order = self.new_report().work_order_ids
        order.action_accept()
        self.notice_links(self.url_open(self.work_order_url(order)).text)
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.notice_links(self.url_open("/new/ticket").text)

    def test_without_a_statement_the_notice_links_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.privacy_url", "")
        html = self.url_open(self.qr_url()).text
        self.assertIn("o_klusheeren_privacy_notice", html)
        self.assertNotIn("o_klusheeren_privacy_link", html)

    def test_the_statement_is_a_web_address(self):
        Settings = self.env["res.config.settings"]
        for url in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x", "https://x.nl/" + "a" * 500):
            with self.subTest(url=url[:30]), self.assertRaises(ValidationError):
                Settings.create({"klusheeren_privacy_url": url})
        self.assertTrue(Settings.create({"klusheeren_privacy_url": "/privacy"}))
