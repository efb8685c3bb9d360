from datetime import datetime

from odoo.tests import tagged

from .common import HOUR, T0, KlusheerenSlaCase


@tagged("post_install", "-at_install")
class TestDeadlines(KlusheerenSlaCase):
    def test_normal_targets(self):
        ticket, order = self.new_report()
        self.assertEqual(order.state, "sent")
        accept = self.clock(order, "accept")
        self.assertEqual(accept.date_start, T0)
        # 24 working hours: Tuesday 10:00 in Amsterdam
        self.assertEqual(accept.date_deadline, datetime(2026, 12, 22, 9, 0))
        self.assertEqual(accept.state, "running")
        # done within 5 working days, Kerstmis and the weekend skipped
        self.assertEqual(self.clock(order, "done").date_deadline, datetime(2026, 12, 29, 9, 0))
        self.assertEqual(self.clock(ticket, "done").date_deadline, datetime(2026, 12, 29, 9, 0))
        self.assertFalse(self.clock(order, "contact"), "the appointment's clock starts at acceptance")
        self.assertEqual(order.klusheeren_sla_deadline, datetime(2026, 12, 22, 9, 0))
        self.assertEqual(order.klusheeren_sla_status, "on_track")
        self.assertEqual(ticket.klusheeren_sla_deadline, datetime(2026, 12, 22, 9, 0))
        with self.at(T0 + HOUR):
            order.action_accept()
        self.assertEqual(accept.state, "met")
        self.assertEqual(accept.date_reached, T0 + HOUR)
        contact = self.clock(order, "contact")
        self.assertEqual(contact.date_start, T0 + HOUR)
        self.assertEqual(contact.date_deadline, datetime(2026, 12, 22, 10, 0))
        with self.at(T0 + 30 * HOUR):  # Tuesday 16:00: the appointment is late
            order.appointment_date = datetime(2026, 12, 23, 9, 0)
        self.assertEqual(order.klusheeren_date_planned, T0 + 30 * HOUR)
        self.assertEqual(contact.state, "missed")

    def test_urgent_targets(self):
        ticket, order = self.new_report()
        with self.at(T0 + HOUR / 2):
            ticket.priority = "3"
        # around the clock: 2 hours to accept, 24 hours to be done
        self.assertEqual(self.clock(order, "accept").date_deadline, T0 + 2 * HOUR)
        self.assertEqual(self.clock(order, "done").date_deadline, T0 + 24 * HOUR)
        self.assertEqual(self.clock(ticket, "done").date_deadline, T0 + 24 * HOUR)
        self.assertEqual(order.klusheeren_sla_deadline, T0 + 2 * HOUR)
        self.maintain(T0 + 3 * HOUR)
        self.assertEqual(self.clock(order, "accept").state, "late")
        self.assertEqual(order.klusheeren_sla_status, "late")
        self.assertEqual(ticket.klusheeren_sla_status, "late")

    def test_target_per_category(self):
        category = self.env["helpdesk.ticket.category"].create({"name": "Koeling"})
        self.env["klusheeren.sla.policy"].create(
            {"name": "Cooling: accepted in 4 hours", "kind": "accept", "category_id": category.id, "hours": 4}
        )
        ticket, order = self.new_report()
        with self.at(T0):
            ticket.category_id = category
        self.assertEqual(self.clock(order, "accept").date_deadline, T0 + 4 * HOUR)

    def test_paused_while_parts_are_on_order(self):
        ticket, order = self.new_report()
        with self.at(T0 + HOUR):
            order.action_accept()
        contact, done, ticket_done = self.clock(order, "contact"), self.clock(order, "done"), self.clock(ticket, "done")
        self.assertEqual(contact.date_deadline, datetime(2026, 12, 22, 10, 0))
        with self.at(T0 + 3 * HOUR):
            order.action_hold("Compressor besteld")
        self.assertEqual((contact | done | ticket_done).mapped("state"), ["paused"] * 3)
        self.assertEqual(order.klusheeren_sla_status, "paused")
        # Tuesday 15:00, past the original deadline: paused, not late
        self.maintain(T0 + 30 * HOUR)
        self.assertEqual(contact.state, "paused")
        with self.at(T0 + 30 * HOUR):
            order.action_resume()
        # 27 working hours paused: the deadlines moved by as much
        self.assertAlmostEqual(contact.paused_hours, 27.0)
        self.assertEqual(contact.state, "running")
        self.assertEqual(contact.date_deadline, datetime(2026, 12, 23, 13, 0))
        self.assertEqual(done.date_deadline, datetime(2026, 12, 30, 12, 0))
        self.assertEqual(ticket_done.date_deadline, datetime(2026, 12, 30, 12, 0))
        self.assertEqual(self.clock(order, "accept").paused_hours, 0.0, "accepting never pauses")

    def test_paused_while_waiting_on_the_customer(self):
        ticket, order = self.new_report()
        ticket_done = self.clock(ticket, "done")
        with self.at(T0 + HOUR):
            ticket.stage_id = self.stage("waiting_customer")
        self.assertEqual(ticket_done.state, "paused")
        self.assertEqual(self.clock(order, "accept").state, "running", "the contractor's clock runs on")
        # the weekend and Kerstmis count for nothing, paused or not
        with self.at(datetime(2026, 12, 28, 9, 0)):
            ticket.stage_id = self.stage("first_line")
        self.assertEqual(ticket_done.state, "running")
        self.assertAlmostEqual(ticket_done.paused_hours, 86.0 - 1.0 + 10.0)
        # ... and Nieuwjaarsdag neither: Tuesday 5 January 2027 09:00
        self.assertEqual(ticket_done.date_deadline, datetime(2027, 1, 5, 8, 0))

    def test_done_in_time(self):
        ticket, order = self.new_report()
        with self.at(T0 + HOUR):
            order.action_accept()
        with self.at(T0 + 2 * HOUR):
            order.appointment_date = T0 + 5 * HOUR
        with self.at(T0 + 6 * HOUR):
            order.action_done()
        self.assertEqual(order.klusheeren_sla_clock_ids.mapped("state"), ["met"] * 3)
        self.assertEqual(ticket.stage_id, self.stage("resolved"))
        self.assertEqual(self.clock(ticket, "done").state, "met")
        self.assertEqual(ticket.klusheeren_sla_status, "met")
        self.assertFalse(ticket.klusheeren_sla_deadline)

    def test_cancelled_and_refused(self):
        ticket, order = self.new_report()
        with self.at(T0 + HOUR):
            order.action_refuse("Geen tijd")
        self.assertEqual(self.clock(order, "accept").state, "met", "an answer in time")
        self.assertEqual(self.clock(order, "done").state, "cancelled")
        _ticket, other = self.new_report()
        with self.at(T0 + HOUR):
            other.sudo().action_cancel()
        self.assertEqual(other.klusheeren_sla_clock_ids.mapped("state"), ["cancelled"] * 2)

    def test_job_makes_missing_clocks(self):
        """Records written around the ORM (an import, the bench) get their clocks from the job."""
        ticket, order = self.new_report()
        self.env.cr.execute("DELETE FROM klusheeren_sla_clock WHERE ticket_id = %s", [ticket.id])
        self.env.invalidate_all()
        self.run_job(T0 + HOUR)
        self.assertEqual(len(ticket.klusheeren_sla_clock_ids), 3)
        self.assertEqual(self.clock(order, "accept").date_deadline, datetime(2026, 12, 22, 9, 0))
