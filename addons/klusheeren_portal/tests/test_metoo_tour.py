from odoo.tests import tagged

from .common import KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestMeTooTour(KlusheerenPortalCase):
    """Issue 24 in Chromium at 390 x 844: scan, see the open fault, "me too", and the subscriber's
    e-mail when the contractor completes the job on its page."""

    def test_tour_me_too_then_the_contractor_completes(self):
        ticket = self.report(description="De koelkast lekt water.")
        order = ticket.work_order_ids
        order._portal_ensure_token()
        tickets, orders = self.Ticket.search_count([]), self.WorkOrder.search_count([])
        self.start_tour(self.qr_url(), "klusheeren_portal_metoo_phone")
        self.assertEqual((self.Ticket.search_count([]), self.WorkOrder.search_count([])), (tickets, orders))
        subscriber = ticket.klusheeren_subscriber_ids
        self.assertEqual(subscriber.email, "collega.tour@example.com")
        self.assertFalse(self.Mail.search([("email_to", "=", "collega.tour@example.com")]), "nothing sent yet")
        # the contractor accepts and completes on its page
        for action in ("accept", "done"):
            self.assertEqual(self.post_work_order(order, action).status_code, 200, action)
        self.assertEqual(order.state, "done")
        mail = self.Mail.search([("email_to", "=", "collega.tour@example.com")], order="id desc", limit=1)
        self.assertTrue(mail, "the subscriber's update")
        self.assertIn(subscriber._klusheeren_status(), mail.subject)
        self.assertEqual(
            subscriber._klusheeren_status(),
            ticket.with_context(lang=subscriber.lang or "en_US")._klusheeren_status_text("done"),
        )
        self.assertIn(f"/klusheeren/follow/{subscriber.id}?token={subscriber.access_token}", mail.body_html)
        self.assertNotIn(ticket.access_token, mail.body_html)
        self.assertNotIn("douwe@example.com", mail.body_html)
