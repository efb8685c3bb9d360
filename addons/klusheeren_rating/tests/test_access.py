from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KlusheerenRatingCase


@tagged("post_install", "-at_install")
class TestAccess(KlusheerenRatingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order()
        cls.rating = cls.order.klusheeren_rating_id
        cls.complaint = cls.env["klusheeren.complaint"]._klusheeren_file(cls.order.ticket_id, "quality", "Lekt nog")
        cls.employee = cls.env["res.users"].create(
            {"name": "Employee", "login": "kh_rating_emp", "group_ids": [(6, 0, [cls.env.ref("base.group_user").id])]}
        )

    def test_back_office_reads_ratings_and_handles_complaints(self):
        rating = self.rating.with_user(self.backoffice)
        self.assertTrue(rating.access_token)
        complaint = self.complaint.with_user(self.backoffice)
        complaint.resolution = "Opgelost"
        complaint.action_resolve()
        self.assertEqual(complaint.state, "resolved")
        with self.assertRaises(AccessError):
            rating.write({"speed": 5})

    def test_portal_public_and_employees_see_no_tokens(self):
        public = self.env.ref("base.public_user")
        for user in (self.portal_user, public, self.employee):
            for record in (self.rating, self.complaint):
                with self.assertRaises(AccessError, msg=(user.login, record._name)):
                    record.with_user(user).read(["access_token"])
            with self.assertRaises(AccessError):
                self.env["klusheeren.rating.report"].with_user(user).search([])

    def test_dutch_demo_data(self):
        rating = self.env.ref("klusheeren_rating.demo_rating_coffee_old")
        self.assertEqual(rating.state, "rated")
        self.assertEqual((rating.speed, rating.communication, rating.quality), (4, 5, 3))
        self.assertEqual(rating.work_order_id.rating_last_value, 4)
        complaint = self.env.ref("klusheeren_rating.demo_complaint_coffee_old")
        self.assertEqual(complaint.state, "answered")
        self.assertIn("donderdag", complaint.contractor_feedback)
