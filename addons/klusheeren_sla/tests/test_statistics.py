from odoo.tests import tagged

from .common import HOUR, T0, KlusheerenSlaCase


@tagged("post_install", "-at_install")
class TestSlaStatistics(KlusheerenSlaCase):
    def test_percentages_in_the_statistics_and_the_scorecard(self):
        quick, quick_order = self.new_report()
        slow, slow_order = self.new_report()
        open_ticket, _open_order = self.new_report()
        with self.at(T0 + HOUR):
            quick_order.action_accept()
        with self.at(T0 + 30 * HOUR):  # 6 hours after the deadline
            slow_order.action_accept()
        with self.at(T0 + 31 * HOUR):
            quick_order.appointment_date = T0 + 48 * HOUR  # planned late as well
        self.env["klusheeren.ticket.report"]._klusheeren_refresh()
        Report = self.env["klusheeren.ticket.report"]
        rows = {r.ticket_id: r for r in Report.search([("ticket_id", "in", (quick | slow | open_ticket).ids)])}
        self.assertEqual(rows[quick].sla_accept_rate, 100.0)
        self.assertEqual(rows[slow].sla_accept_rate, 0.0)
        self.assertFalse(rows[open_ticket].sla_accept_rate, "not decided yet")
        self.assertEqual(rows[quick].sla_contact_rate, 0.0)
        self.assertEqual(rows[quick].sla_met_rate, 0.0, "one step missed")
        [group] = Report._read_group(
            [("ticket_id", "in", (quick | slow | open_ticket).ids)],
            [],
            ["sla_accept_rate:avg", "sla_met_rate:avg", "ticket_count:sum"],
        )
        self.assertEqual(group, (50.0, 0.0, 3))
        # the pivot's own path (the coarser groups added up in Python) gives the same
        pivot = Report._read_grouping_sets(
            [("ticket_id", "in", (quick | slow | open_ticket).ids)],
            [("contractor_id",), ()],
            ["sla_accept_rate:avg"],
        )
        self.assertEqual(pivot[1][0][-1], 50.0)
        # the contractor's scorecard (work orders sent to it)
        self.env.invalidate_all()
        self.assertEqual(self.contractor.klusheeren_sla_accept_rate, 50.0)
        self.assertEqual(self.contractor.klusheeren_sla_met_rate, 0.0)
        self.assertEqual(self.contractor.klusheeren_sla_done_rate, 0.0, "none done yet: no figure")

    def test_late_open_step_counts_as_missed(self):
        ticket, _order = self.new_report()
        self.maintain(T0 + 30 * HOUR)
        self.env["klusheeren.ticket.report"]._klusheeren_refresh()
        row = self.env["klusheeren.ticket.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(row.sla_accept_rate, 0.0)
        self.assertEqual(row.sla_met_rate, 0.0)
