from odoo.tests import tagged

from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase
from odoo.addons.klusheeren_portal.tests.light import LightPagesMixin

from .common import VisitCaseMixin, utc


@tagged("post_install", "-at_install")
class TestLightVisitPage(LightPagesMixin, VisitCaseMixin, KlusheerenPortalCase):
    """The pre-visit page is a light phone page (issue 21): no asset bundle, at most 100 kB with
    everything it loads; so is its answer to a wrong link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()

    def test_visit_page_is_light(self):
        visit = self.plan(self.new_order(), utc(2027, 5, 20, 10, 0))
        url = f"/my/visits/{visit.id}?access_token="
        self.assertLightPage(url + visit.access_token)
        self.assertLightPage(url + "x" * 43, status=404)

    def test_reporter_page_leads_to_the_pre_visit_page(self):
        """The reporter's light ticket page (issue 21) shows the appointment and the way to its
        pre-visit page, whose own token it carries; the page stays light."""
        order = self.new_order()
        visit = self.plan(order, utc(2027, 5, 20, 10, 0))
        ticket = order.ticket_id
        ticket._portal_ensure_token()
        url = f"/my/ticket/{ticket.id}?access_token={ticket.access_token}"
        page = self.url_open(url).text
        self.assertIn("o_kh_reporter_visit", page)
        self.assertIn(f"/my/visits/{visit.id}?access_token={visit.access_token}", page)
        self.assertIn("10:00", page, "the appointment in Dutch time")
        self.assertLightPage(url)
        # once the work order is withdrawn, the link is gone
        order.action_cancel()
        self.assertNotIn("o_kh_reporter_visit", self.url_open(url).text)
