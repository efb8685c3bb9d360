"""The "Accept" and "Refuse…" buttons of the work order e-mails (issue 25) as real requests: the link
(GET) shows a light confirmation page and changes nothing; its POST acts; forged, used and outdated
links get the page of an unknown token and change nothing."""

from urllib.parse import urlsplit

from odoo.tests import tagged

from odoo.addons.klusheeren_helpdesk.tests.attack import AttackMixin

from .common import CSRF_RE, KlusheerenPortalCase
from .light import LightPagesMixin
from .test_light_pages import FITS_JS, LIGHT_ONLY


@tagged("post_install", "-at_install")
class TestMailActionPages(AttackMixin, LightPagesMixin, KlusheerenPortalCase):
    def setUp(self):
        super().setUp()
        self.order = self.report().work_order_ids
        self.order.user_id = self.backoffice

    def link(self, action, order=None):
        """The button's link as the e-mail has it, without scheme and host."""
        url = urlsplit((order or self.order)._klusheeren_action_url(action))
        return f"{url.path}?{url.query}"

    def post(self, link, **fields):
        path, _sep, query = link.partition("?")
        page = self.url_open(link)
        csrf = CSRF_RE.search(page.text).group(1) if page.status_code == 200 else self.csrf("/web/login")
        data = {"csrf_token": csrf, "signature": query.partition("=")[2], **fields}
        return self.url_open(path, data=data, allow_redirects=False)

    def denied_page(self):
        """The page of an unknown token, for comparison."""
        response = self.url_open(self.work_order_url(self.order, token="wrong"))
        self.assertEqual(response.status_code, 403)
        return response.text

    def assertDenied(self, response):
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.text, self.denied_page(), "the same page as an unknown token")

    def test_opening_the_link_changes_nothing(self):
        for action in ("accept", "refuse"):
            with self.subTest(action), self.assertNothingChanges():
                response = self.url_open(self.link(action))
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.order.name, response.text)
                self.assertIn('method="post"', response.text)
                self.assertIn('name="csrf_token"', response.text)
                self.assertNotIn(self.order.sudo().access_token, response.text, "the page gives no token")
                # the signature in its address never leaves in a Referer; no framing of its button
                self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer")
                self.assertEqual(response.headers.get("X-Frame-Options"), "DENY")
        self.assertIn('name="reason"', self.url_open(self.link("refuse")).text)
        self.assertNotIn('name="reason"', self.url_open(self.link("accept")).text)

    def test_accept_lands_on_the_work_order_page(self):
        link = self.link("accept")
        response = self.post(link)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.order.state, "accepted")
        location = response.headers["Location"]
        self.assertIn(f"/my/work-orders/{self.order.id}?access_token={self.order.sudo().access_token}", location)
        page = self.url_open(urlsplit(location)._replace(scheme="", netloc="").geturl())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Accepted. Please contact the location within 24 hours.", page.text)
        # used: the link opens nothing any more, and its POST does nothing
        self.assertDenied(self.url_open(link))
        with self.assertNothingChanges():
            self.assertDenied(self.post(link))

    def test_refuse_asks_the_reason(self):
        link = self.link("refuse")
        with self.assertNothingChanges():
            response = self.post(link, reason="   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Give a reason for refusing the work order.", response.text)
        self.assertEqual(self.order.state, "sent")
        response = self.post(link, reason="Geen monteur beschikbaar deze week.")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            (self.order.state, self.order.refuse_reason), ("refused", "Geen monteur beschikbaar deze week.")
        )

    def test_refuse_then_accept_link_is_dead(self):
        accept = self.link("accept")
        self.assertEqual(self.post(self.link("refuse"), reason="Te ver weg.").status_code, 303)
        with self.assertNothingChanges():
            self.assertDenied(self.url_open(accept))
            self.assertDenied(self.post(accept))

    def test_forged_and_outdated_links_are_refused_alike(self):
        link = self.link("accept")
        path, _sep, query = link.partition("?")
        signature = query.partition("=")[2]
        other = self.report(self.equipment_en).work_order_ids
        forged = [
            f"{path}?signature={'0' * len(signature)}",
            f"{path}?signature=",
            path,
            link.replace("/accept?", "/refuse?"),
            link.replace(f"/{self.order.id}/", f"/{other.id}/"),
            link.replace(f"/{self.order.id}/", "/999999/"),
            link.replace("/accept?", "/done?"),
        ]
        for url in forged:
            with self.subTest(url), self.assertNothingChanges():
                self.assertDenied(self.url_open(url))
                self.assertDenied(self.post(url, reason="x"))
        # the token rotates (the order goes to another contractor): the e-mail's link is dead
        self.order.sudo()._klusheeren_rotate_token()
        with self.assertNothingChanges():
            self.assertDenied(self.url_open(link))
            self.assertDenied(self.post(link))
        self.assertEqual(self.order.state, "sent")

    def test_post_without_csrf_changes_nothing(self):
        link = self.link("accept")
        path, _sep, query = link.partition("?")
        with self.assertNothingChanges():
            response = self.url_open(path, data={"signature": query.partition("=")[2]}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.order.state, "sent")

    def test_rate_limited_like_the_other_actions(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.action_limit_per_link", 1)
        link = self.link("refuse")
        self.assertEqual(self.post(link, reason="").status_code, 400)  # counted: an attempt
        with self.assertNothingChanges():
            response = self.post(link, reason="Geen tijd.")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.order.state, "sent")

    def test_the_page_is_light_and_fits_a_phone(self):
        for action in ("accept", "refuse"):
            self.assertLightPage(self.link(action))
        self.assertLightPage(self.link("accept").replace("signature=", "signature=0"), status=403)
        self.browser_js(self.link("refuse"), FITS_JS, timeout=60, cookies=LIGHT_ONLY)
