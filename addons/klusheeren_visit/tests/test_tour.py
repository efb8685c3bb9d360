from odoo.tests import tagged

from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase

from .common import VisitCaseMixin, utc


@tagged("post_install", "-at_install")
class TestVisitTour(VisitCaseMixin, KlusheerenPortalCase):
    """The contact checks in on a phone, in Dutch (static/src/js/tours/klusheeren_visit_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()

    def test_tour_contact_checks_in_on_a_phone(self):
        order = self.new_order()
        visit = self.plan(order, utc(2027, 5, 20, 10, 0))
        self.start_tour(f"/my/visits/{visit.id}?access_token={visit.access_token}", "klusheeren_visit_phone")
        self.assertEqual(visit.state, "confirmed")
        self.assertEqual(visit.service_ids.option_id, self.option)
        self.assertEqual(visit.service_ids.choice, "accepted")
        self.assertEqual(visit.remark_ids.subject, "Sleutel bij de receptie")
        self.assertTrue(visit.remark_ids.visible_to_contractor)
        partner = visit.partner_id
        self.assertEqual(partner.klusheeren_notify_channel, "sms")
        self.assertEqual(partner.phone, "+31687654321")
        self.assertTrue(order.klusheeren_checkin_todo, "remark and service wait for the back office")
