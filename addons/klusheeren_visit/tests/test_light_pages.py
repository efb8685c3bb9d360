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
