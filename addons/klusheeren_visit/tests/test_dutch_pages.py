"""The demo's pre-visit page, fetched by a Dutch visitor, in Dutch only."""

from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_portal.tests.common import DutchPagesMixin


@tagged("post_install", "-at_install")
class TestDutchVisitPage(DutchPagesMixin, HttpCase):
    def test_pre_visit_page(self):
        self.dutch()
        visit = self.env.ref("klusheeren_helpdesk.demo_work_order_boiler").klusheeren_visit_ids[:1]
        self.assertTrue(visit, "the demo plans the boiler's appointment")
        self.assertDutchPage(
            f"/my/visits/{visit.id}?access_token={visit.access_token}",
            ["Uw afspraak", "Bevestig de afspraak", "Foto's of pdf, hoogstens 10 bestanden van 10 MB."],
        )
