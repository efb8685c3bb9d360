import threading
from datetime import date, datetime
from unittest.mock import patch

import pytz

from odoo.tests import tagged

from odoo.addons.klusheeren_portal.controllers import qr_report

from .common import KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestPortalTours(KlusheerenPortalCase):
    """The three phone journeys in Chromium (static/src/js/tours/klusheeren_portal_tours.js)."""

    def test_tour_reporter_reports_a_fault_on_a_phone(self):
        before = self.Ticket.search([]).ids
        # the thanks page is shown first while the report waits for the intake job (as a
        # reporter sees it for about a second), then again with the link once the ticket is made
        shown = threading.Event()

        def session_sent(*args, **kwargs):
            shown.set()
            return original(*args, **kwargs)

        original = qr_report.session_sent
        with patch.object(qr_report, "session_sent", session_sent), self.intake_running(start=shown):
            self.start_tour(self.qr_url(), "klusheeren_portal_report_phone")
        ticket = self.Ticket.search([("id", "not in", before)])
        self.assertEqual(len(ticket), 1, "one ticket for one report")
        self.assertIn("De koelkast koelt niet meer, de melk is zuur.", ticket.description)
        self.assertEqual(ticket.channel_id, self.env.ref("klusheeren_helpdesk.helpdesk_ticket_channel_qr"))
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.partner_name, "Douwe Tour")
        self.assertEqual(ticket.partner_email, "douwe.tour@example.com")
        self.assertEqual(ticket.partner_phone, "06-12345678")
        self.assertEqual(ticket.partner_id.email, "douwe.tour@example.com")
        self.assertRegex(ticket.number, r"^KH-A-\d{6}$")
        self.assertEqual(ticket._klusheeren_photos().mapped("name"), ["lekkage.png"])
        self.assertEqual(ticket._klusheeren_photos().mimetype, "image/png")
        order = ticket.work_order_ids
        self.assertEqual(len(order), 1, "the equipment has a contractor: a work order")
        self.assertEqual(order.contractor_id, self.contractor)
        self.assertEqual(order.state, "sent")

    def test_tour_contractor_handles_a_work_order_on_a_phone(self):
        ticket = self.report()
        order = ticket.work_order_ids
        self.assertEqual(order.state, "sent")
        order._portal_ensure_token()
        self.start_tour(self.work_order_url(order), "klusheeren_portal_work_order_phone")
        self.assertEqual(order.state, "done")
        self.assertEqual(order.contractor_remarks, "Opgelost, compressor vervangen")
        self.assertEqual(order.amount_total, 258.17)
        self.assertTrue(order.warranty)
        self.assertEqual(order.contractor_reference, "JAN-4711")
        self.assertEqual(order.hold_reason, "Thermostaat besteld, levering vrijdag")
        # typed in Dutch time on the token page, stored in UTC
        tz = pytz.timezone("Europe/Amsterdam")
        expected = tz.localize(datetime(date.today().year + 1, 3, 14, 9, 30)).astimezone(pytz.utc).replace(tzinfo=None)
        self.assertEqual(order.appointment_date, expected, "the appointment survives save and complete")
        self.assertTrue(order.date_sent)
        self.assertTrue(order.date_sent <= order.date_accepted <= order.date_done)
        self.assertEqual(ticket.stage_id, self.stage("resolved"))
        self.assertEqual(ticket.appointment_date, expected)

    def test_tour_reporter_comment_reopens_a_resolved_ticket(self):
        ticket = self.report()
        ticket._klusheeren_set_stage("resolved")
        self.assertEqual(ticket.stage_id, self.stage("resolved"))
        token = ticket._portal_ensure_token()
        self.start_tour(f"/my/ticket/{ticket.id}/{token}", "klusheeren_portal_reopen_phone")
        message = ticket.message_ids.filtered(lambda m: "Het lekt alweer" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, ticket.partner_id, "posted as the reporter, by the token")
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(ticket.stage_id, self.stage("first_line"), "the reporter's answer reopens the ticket")
        self.assertFalse(ticket.stage_id.closed)

    def test_tour_company_user_makes_a_request_on_a_phone(self):
        before = self.Ticket.search([]).ids
        self.customer_user.password = "kh_klant"  # the tour logs in with the login as password
        self.start_tour("/new/ticket", "klusheeren_portal_request_phone", login="kh_klant")
        ticket = self.Ticket.search([("id", "not in", before)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Koelkast lekt")
        self.assertEqual(ticket.site_id, self.site)
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.partner_id, self.customer_user.partner_id)
        self.assertEqual(ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web"))
        self.assertTrue(ticket.klusheeren_private)
        self.assertEqual(sorted(ticket._klusheeren_photos().mapped("name")), ["koelkast.png", "water.png"])
        self.assertEqual(
            ticket.work_order_ids.contractor_id, self.contractor, "the equipment's contractor gets the job"
        )
