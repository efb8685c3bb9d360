import re
from urllib.parse import unquote

from odoo.tests import HttpCase, tagged

from .common import KlusheerenEquipmentCase


@tagged("post_install", "-at_install")
class TestQrHttp(HttpCase, KlusheerenEquipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls.env["klusheeren.sticker.batch"].create({"quantity": 2})
        cls.free = cls.batch.sticker_ids[0]
        cls.backoffice.password = "kh_bo_password"

    def csrf_token(self):
        """The CSRF token of the registration form, as a browser gets it."""
        form = self.url_open(f"/qr/{self.free.token}/register").text
        return re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)

    def in_page_language(self, response, source):
        """``source`` as the page says it: translated into the page's language (the website's default
        language is Dutch on a Dutch operator's database, English on an English-only one)."""
        match = re.search(r'<html lang="([A-Za-z-]+)"', response.text)
        # (without the website module the page is in the logged-in user's language and says none)
        lang = match.group(1).replace("-", "_") if match else self.backoffice.lang or "en_US"
        return self.env(context=dict(self.env.context, lang=lang))._(source)  # noqa: odoo translation lookup

    def test_unknown_token_is_a_plain_404(self):
        for token in ("x" * 32, "nonexistent-token-aaaaaaaaaaaa", "%27%20OR%201%3D1"):
            response = self.url_open(f"/qr/{token}")
            self.assertEqual(response.status_code, 404, token)
            self.assertNotIn("Koelkast", response.text)

    def test_unknown_token_is_a_page(self):
        """Whatever follows /qr/, a visitor gets the page of the unknown code, never bare text."""
        for token in ("x" * 32, "%00", "a" * 300, "x.y", "%27%20OR%201%3D1--"):
            with self.subTest(token=token[:12]):
                response = self.url_open(f"/qr/{token}")
                self.assertEqual(response.status_code, 404)
                self.assertIn("text/html", response.headers["Content-Type"])
                self.assertIn("o_klusheeren_qr_unknown", response.text)

    def test_sticker_url_with_a_trailing_full_stop_or_space(self):
        """A link copied with the full stop of its sentence, or a space ("%20"), opens the sticker."""
        token = self.equipment.sticker_id.token
        for suffix in (".", "%20", ".%20", ")", "%0A"):
            with self.subTest(suffix=suffix):
                page = self.url_open(f"/qr/{token}{suffix}")
                self.assertTrue(page.history, "redirected")
                self.assertEqual(page.status_code, 200)
                self.assertTrue(page.url.endswith(f"/qr/{token}"), page.url)
                self.assertIn("Koelkast 2.21", page.text)

    def test_bound_sticker_shows_the_equipment(self):
        response = self.url_open(f"/qr/{self.equipment.sticker_id.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Koelkast 2.21", response.text)
        self.assertIn("Op de koelkast in kantoor 2.21", response.text)
        self.assertIn("Testlocatie", response.text)

    def test_retired_sticker_is_404(self):
        token = self.equipment.sticker_id.token
        self.equipment.with_user(self.manager).action_replace_sticker()
        self.assertEqual(self.url_open(f"/qr/{token}").status_code, 404)
        self.assertEqual(self.url_open(f"/qr/{self.equipment.sticker_id.token}").status_code, 200)

    def test_free_sticker_anonymous(self):
        response = self.url_open(f"/qr/{self.free.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_klusheeren_sticker_free", response.text)  # "not in use yet", in the page's language
        self.assertNotIn('name="csrf_token"', response.text)
        # to the login (possibly by way of the page's URL in the visitor's language first)
        response = self.url_open(f"/qr/{self.free.token}/register")
        self.assertIn("/web/login", response.url)
        self.assertIn(f"/qr/{self.free.token}/register", unquote(response.url), "back to the form after the login")

    def test_free_sticker_portal_user_cannot_register(self):
        self.portal.password = "kh_portal_password"
        self.authenticate("kh_portal", "kh_portal_password")
        self.assertIn("o_klusheeren_sticker_free", self.url_open(f"/qr/{self.free.token}").text)
        self.assertEqual(self.url_open(f"/qr/{self.free.token}/register").status_code, 404)

    def test_free_sticker_back_office_registers_once(self):
        self.authenticate("kh_bo", "kh_bo_password")
        response = self.url_open(f"/qr/{self.free.token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/qr/{self.free.token}/register"))
        form = self.url_open(f"/qr/{self.free.token}/register")
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="csrf_token"', form.text)
        self.assertIn("Testlocatie", form.text)
        csrf = self.csrf_token()

        # without CSRF token: refused, nothing created
        response = self.url_open(
            f"/qr/{self.free.token}/register",
            data={"name": "Vaatwasser", "site_id": str(self.site.id)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.free.state, "free")

        # missing site: the form comes back with the typed name kept
        response = self.url_open(
            f"/qr/{self.free.token}/register",
            data={"name": "Vaatwasser", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn('value="Vaatwasser"', response.text)
        self.assertIn(self.in_page_language(response, "Choose the site where the equipment stands."), response.text)

        # a photo that is not an image is refused
        response = self.url_open(
            f"/qr/{self.free.token}/register",
            data={"name": "Vaatwasser", "site_id": str(self.site.id), "csrf_token": csrf},
            files={"photo": ("foto.jpg", b"MZ\x90\x00 not an image", "image/jpeg")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            self.in_page_language(response, "The photo must be a JPEG, PNG, WebP or GIF image."), response.text
        )
        self.assertEqual(self.free.state, "free")

        response = self.url_open(
            f"/qr/{self.free.token}/register",
            data={
                "name": "Vaatwasser",
                "site_id": str(self.site.id),
                "exact_location": "Keuken begane grond",
                "serial_no": "VW-1",
                "csrf_token": csrf,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.free.invalidate_recordset()
        self.assertEqual(self.free.state, "bound")
        equipment = self.free.equipment_id
        self.assertEqual(equipment.name, "Vaatwasser")
        self.assertEqual(equipment.exact_location, "Keuken begane grond")
        self.assertEqual(equipment.contractor_id, self.contractor_site)

        # scanning again shows the equipment; registering again changes nothing
        self.assertIn("Vaatwasser", self.url_open(f"/qr/{self.free.token}").text)
        response = self.url_open(
            f"/qr/{self.free.token}/register",
            data={"name": "Kaper", "site_id": str(self.site.id), "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.free.equipment_id, equipment)
        self.assertEqual(equipment.name, "Vaatwasser")


@tagged("post_install", "-at_install")
class TestQrHttpDutch(HttpCase, KlusheerenEquipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["klusheeren_equipment"], ["nl_NL"], overwrite=True)
        cls.free = cls.env["klusheeren.sticker.batch"].create({"quantity": 1}).sticker_ids

    def test_free_sticker_speaks_the_browser_language(self):
        nl = self.url_open(f"/qr/{self.free.token}", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
        self.assertIn("Deze sticker is nog niet in gebruik", nl.text)
        for cookie in ("session_id", "frontend_lang"):  # another visitor
            self.opener.cookies.pop(cookie, None)
        en = self.url_open(f"/qr/{self.free.token}", headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertIn("This sticker is not in use yet", en.text)
