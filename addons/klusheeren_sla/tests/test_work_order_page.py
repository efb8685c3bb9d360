from lxml import html as lxml_html

from odoo.tests import tagged

from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase
from odoo.addons.klusheeren_portal.tests.light import LightPagesMixin

from .common import HOUR, T0, KlusheerenSlaCase


@tagged("post_install", "-at_install")
class TestDeadlinesOnTheWorkOrderPage(LightPagesMixin, KlusheerenPortalCase, KlusheerenSlaCase):
    def deadlines(self, order):
        response = self.url_open(self.work_order_url(order))
        self.assertEqual(response.status_code, 200)
        page = lxml_html.fromstring(response.text)
        return [
            " ".join(li.text_content().split())
            for li in page.xpath("//ul[contains(@class, 'o_klusheeren_sla_deadlines')]/li")
        ]

    def test_deadlines_in_amsterdam_time(self):
        with self.at(T0):
            ticket = self.report()
        order = ticket.work_order_ids
        order._portal_ensure_token()
        # sent Monday 10:00 in Amsterdam (09:00 UTC): accept by Tuesday 10:00, done by Tuesday 29th 10:00
        [accept, done] = self.deadlines(order)
        self.assertIn("22", accept)
        self.assertIn("10:00", accept)
        self.assertNotIn("09:00", accept)
        self.assertIn("29", done)
        self.assertIn("10:00", done)
        self.assertLightPage(self.work_order_url(order))
        with self.at(T0 + 2 * HOUR):
            order.action_accept()
        # accepted Monday 12:00: contact the site by Tuesday 12:00
        [contact, done] = self.deadlines(order)
        self.assertIn("12:00", contact)
        self.assertIn("29", done)
        # late: shown as late
        self.maintain(T0 + 40 * HOUR)
        [contact, _done] = self.deadlines(order)
        self.assertIn("12:00", contact)
        self.assertEqual(self.clock(order, "contact").state, "late")
        with self.at(T0 + 41 * HOUR):
            order.action_done()
        self.assertEqual(self.deadlines(order), [], "nothing open: no deadlines")

    def test_wrong_token_shows_no_deadline(self):
        with self.at(T0):
            order = self.report().work_order_ids
        order._portal_ensure_token()
        response = self.url_open(self.work_order_url(order, token="wrong"))
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("o_klusheeren_sla_deadlines", response.text)
