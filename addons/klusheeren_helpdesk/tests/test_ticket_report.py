from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KlusheerenHelpdeskCase


@tagged("post_install", "-at_install")
class TestTicketReport(KlusheerenHelpdeskCase):
    """klusheeren.ticket.report: one row per ticket, with or without a work order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["maintenance.equipment.category"].create({"name": "Koeling (test)"})
        cls.equipment.category_id = cls.category
        cls.customer = cls.env["res.partner"].create({"name": "Klant Rapport B.V.", "is_company": True})
        cls.site.parent_id = cls.customer
        cls.Report = cls.env["klusheeren.ticket.report"]

    def set_dates(self, record, **values):
        """Move a record's timestamps into the past (as the statistics would see old jobs)."""
        self.env.flush_all()
        columns = ", ".join(f"{name} = %s" for name in values)
        self.env.cr.execute(f"UPDATE {record._table} SET {columns} WHERE id = %s", [*values.values(), record.id])
        record.invalidate_recordset()

    def refresh(self):
        self.Report._klusheeren_refresh()

    def row(self, ticket):
        return self.Report.search([("ticket_id", "=", ticket.id)])

    def test_rows_with_and_without_work_order(self):
        done = self.report()
        order = done.work_order_ids
        order.action_accept()
        order.sudo().contractor_save({"lines": [{"name": "Onderdeel", "price_unit": 80.0, "quantity": 2}]})
        order.sudo().action_done()
        start = fields.Datetime.now() - timedelta(hours=50)
        self.set_dates(done, create_date=start)
        self.set_dates(
            order,
            date_sent=start + timedelta(hours=1),
            date_accepted=start + timedelta(hours=4),
            appointment_date=start + timedelta(hours=24),
            date_done=start + timedelta(hours=48),
        )
        without = self.report(self.equipment_none)
        self.assertFalse(without.work_order_ids, "no contractor known: no work order")
        self.refresh()

        row = self.row(done)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.work_order_id, order)
        self.assertEqual(row.contractor_id, self.contractor)
        self.assertEqual(row.site_id, self.site)
        self.assertEqual(row.customer_id, self.customer)
        self.assertEqual(row.equipment_id, self.equipment)
        self.assertEqual(row.equipment_category_id, self.category)
        self.assertEqual(row.team_id, done.team_id)
        self.assertEqual(row.channel_id, done.channel_id)
        self.assertEqual(row.ticket_count, 1)
        self.assertEqual(row.work_order_count, 1)
        self.assertAlmostEqual(row.hours_to_accept, 3, places=3)
        self.assertAlmostEqual(row.hours_to_appointment, 24, places=3)
        self.assertAlmostEqual(row.hours_to_done, 48, places=3)
        self.assertEqual(row.cost, 160)

        row = self.row(without)
        self.assertEqual(len(row), 1)
        self.assertFalse(row.work_order_id)
        self.assertFalse(row.contractor_id)
        self.assertEqual(row.work_order_count, 0)
        self.assertFalse(row.hours_to_done)
        self.assertEqual(row.cost, 0)

        groups = self.Report._read_group(
            [("site_id", "=", self.site.id)], ["date:month"], ["__count", "cost:sum", "hours_to_done:avg"]
        )
        self.assertEqual(
            sum(count for _m, count, _c, _h in groups), self.Ticket.search_count([("site_id", "=", self.site.id)])
        )
        self.assertEqual(sum(cost for _m, _n, cost, _h in groups), 160)

    def test_area_of_the_site_or_of_the_routing_rule(self):
        """The area dimension: the deepest area the site lies in (by postcode or named), else the
        area of the rule that routed the ticket; none when neither."""
        Area = self.env["klusheeren.area"]
        ranges = [(0, 0, {"postcode_from": "1000", "postcode_to": "1199"})]
        region = Area.create({"name": "Regio Amsterdam", "postcode_range_ids": ranges})
        amstelveen = Area.create(
            {
                "name": "Amstelveen",
                "parent_id": region.id,
                "postcode_range_ids": [(0, 0, {"postcode_from": "1180", "postcode_to": "1189"})],
            }
        )
        north_site = self.env["res.partner"].create({"name": "Locatie Noord", "is_company": True, "zip": "9711 AA"})
        north = Area.create({"name": "Noord", "site_ids": [(6, 0, north_site.ids)]})
        far_site = self.env["res.partner"].create({"name": "Verre locatie", "is_company": True, "zip": "99999999999"})
        routed_site = self.env["res.partner"].create({"name": "Gerouteerd", "is_company": True, "zip": "5611 AB"})
        south = Area.create({"name": "Zuid", "site_ids": [(6, 0, routed_site.ids)]})
        rule = self.env["klusheeren.responsibility"].create(
            {"name": "Zuid", "area_id": south.id, "team_id": self.team.id, "contractor_id": self.contractor.id}
        )

        def equipment_at(site):
            return self.env["maintenance.equipment"].create(
                {"name": f"Apparaat {site.name}", "site_id": site.id, "contractor_id": self.contractor.id}
            )

        in_amstelveen = self.report()  # 1183 AS: in Amstelveen, within the region
        in_north = self.report(equipment_at(north_site))
        far = self.report(equipment_at(far_site))
        routed = self.report(equipment_at(routed_site))
        self.assertEqual(routed.sudo().responsibility_id, rule)
        south.site_ids = False  # the site left the area after the routing: the rule's area remains
        self.refresh()
        self.assertEqual(self.row(in_amstelveen).area_id, amstelveen, "the deepest area of the site")
        self.assertEqual(self.row(in_north).area_id, north, "named in the area")
        self.assertFalse(self.row(far).area_id, "a postcode number beyond every range, in no area")
        self.assertEqual(self.row(routed).area_id, south, "the area of the rule that routed it")
        amstelveen.active = False
        self.refresh()
        self.assertEqual(self.row(in_amstelveen).area_id, region, "an archived area counts no more")
        groups = dict(
            self.Report.with_user(self.backoffice)._read_group(
                [("ticket_id", "in", (in_amstelveen | in_north | far | routed).ids)], ["area_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {region: 1, north: 1, south: 1, Area: 1})

    def test_the_main_work_order_is_the_one_that_was_not_refused(self):
        ticket = self.report()
        refused = ticket.work_order_ids
        refused.sudo().action_refuse("Te ver")
        second = self.WorkOrder.create(
            {"ticket_id": ticket.id, "contractor_id": self.contractor_en.id, "title": "Tweede poging"}
        )
        self.refresh()
        row = self.row(ticket)
        self.assertEqual(row.work_order_id, second)
        self.assertEqual(row.contractor_id, self.contractor_en)
        self.assertEqual(row.work_order_count, 2)

    def test_reopened_tickets_are_counted(self):
        ticket = self.report()
        ticket._klusheeren_set_stage("resolved")
        ticket._klusheeren_set_stage("first_line")
        ticket._klusheeren_set_stage("closed")
        ticket._klusheeren_set_stage("second_line")
        self.assertEqual(ticket.klusheeren_reopen_count, 2)
        self.refresh()
        self.assertEqual(self.row(ticket).reopen_count, 2)

    def test_reliability_of_equipment(self):
        first, second, third = self.report(), self.report(), self.report()
        now = fields.Datetime.now()
        self.set_dates(first, create_date=now - timedelta(hours=100))
        self.set_dates(second, create_date=now - timedelta(hours=60))
        self.set_dates(third, create_date=now - timedelta(hours=20))
        for ticket, hours in ((first, 10), (second, 30)):
            order = ticket.work_order_ids
            order.action_accept()
            order.sudo().action_done()
            self.set_dates(order, date_done=ticket.create_date + timedelta(hours=hours))
        self.refresh()
        self.assertEqual(self.equipment.klusheeren_failure_count, 3)
        self.assertAlmostEqual(self.equipment.klusheeren_mtbf_hours, 40, places=3)
        self.assertAlmostEqual(self.equipment.klusheeren_mttr_hours, 20, places=3)
        self.assertEqual(self.equipment_none.klusheeren_failure_count, 0)
        self.assertFalse(self.equipment_none.klusheeren_mtbf_hours)
        # stored: they sort and group
        ordered = self.env["maintenance.equipment"].search(
            [("id", "in", (self.equipment | self.equipment_none).ids)], order="klusheeren_failure_count desc"
        )
        self.assertEqual(ordered[0], self.equipment)

    def test_only_the_back_office_refreshes(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.env.ref("base.public_user")).action_refresh()
        self.assertEqual(self.Report.with_user(self.backoffice).action_refresh()["tag"], "reload")

    def test_pivot_sets_add_up_as_the_database_would(self):
        """The pivot's grouping sets, added up from the finest one, equal each set asked alone."""
        other_site = self.env["res.partner"].create({"name": "Aaa locatie", "is_company": True})
        other = self.env["maintenance.equipment"].create(
            {"name": "Vriezer", "site_id": other_site.id, "contractor_id": self.contractor_en.id}
        )
        for equipment, hours in ((self.equipment, 10), (self.equipment, 30), (other, 5), (self.equipment_none, 0)):
            ticket = self.report(equipment)
            if ticket.work_order_ids:
                order = ticket.work_order_ids
                order.action_accept()
                order.sudo().contractor_save({"amount_total": hours * 10})
                order.sudo().action_done()
                self.set_dates(order, date_done=ticket.create_date + timedelta(hours=hours))
        self.refresh()
        Report = self.Report.with_user(self.backoffice)
        sets = [[], ["site_id"], ["date:month"], ["site_id", "date:month"], ["contractor_id"]]
        sets = [s for s in sets if set(s) <= {"site_id", "date:month"}]
        aggregates = ["__count", "cost:sum", "hours_to_done:avg", "hours_to_accept:max"]
        rolled = Report._read_grouping_sets([], sets, aggregates)
        for groupby, groups in zip(sets, rolled, strict=True):
            alone = Report._read_group([], groupby, aggregates, order=", ".join(groupby) or None)
            with self.subTest(groupby=groupby):
                self.assertEqual(len(groups), len(alone))
                for mine, theirs in zip(groups, alone, strict=True):
                    self.assertEqual(mine[: len(groupby)], theirs[: len(groupby)])
                    for a, b in zip(mine[len(groupby) :], theirs[len(groupby) :], strict=True):
                        if isinstance(b, float):
                            self.assertAlmostEqual(a, b, places=6)
                        else:
                            self.assertEqual(a, b)
        # what the ORM cannot add up goes to the database as it is
        distinct = Report._read_grouping_sets([], [[], ["site_id"]], ["contractor_id:count_distinct"])
        self.assertEqual(distinct[0][0][0], len(Report.search([]).contractor_id))
