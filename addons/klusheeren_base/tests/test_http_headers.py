"""Private pages: each addon declares the URL prefixes of its own pages, base sets the headers."""

from odoo.tests import HttpCase, tagged

from ..models.ir_http import PRIVATE_PAGE_HEADERS


@tagged("post_install", "-at_install")
class TestPrivatePageHeaders(HttpCase):
    def test_each_addon_declares_its_own_prefixes(self):
        prefixes = self.env["ir.http"]._klusheeren_private_prefixes()
        self.assertIsInstance(prefixes, tuple)
        self.assertIn("/qr/", prefixes, "klusheeren_equipment: the sticker's pages")
        self.assertEqual(len(prefixes), len(set(prefixes)), "each prefix declared by one addon")
        for prefix in prefixes:
            self.assertTrue(prefix.startswith("/"), prefix)

    def test_a_private_page_gets_the_headers_and_others_do_not(self):
        response = self.url_open("/qr/no-such-sticker")
        for header, value in PRIVATE_PAGE_HEADERS.items():
            self.assertEqual(response.headers.get(header), value, header)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        response = self.url_open("/web/login")
        self.assertNotEqual(response.headers.get("Referrer-Policy"), "no-referrer")
        self.assertNotIn("'none'", response.headers.get("Content-Security-Policy") or "")
