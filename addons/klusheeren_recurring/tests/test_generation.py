from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KlusheerenRecurringCase


@tagged("post_install", "-at_install")
class TestGeneration(KlusheerenRecurringCase):
    def test_work_order_made_and_sent_through_the_business_step(self):
        job = self.make_job(
            date_start="2027-03-10",
            description="<p>Koelkast binnen en buiten reinigen.</p>",
            line_ids=[(0, 0, {"name": "Reinigingsmiddel", "quantity": 2})],
        )
        occurrences = self.run_at("2027-03-01 06:00:00", job)
        self.assertEqual(len(occurrences), 12, "a year ahead (the default horizon): 10 Mar 2027 .. 10 Feb 2028")
        self.assertEqual(occurrences.mapped("state")[:2], ["planned", "planned"], "not yet: 7 days of lead time")
        occurrences = self.run_at("2027-03-03 06:00:00", job)
        first = occurrences[0]
        self.assertEqual(first.state, "ordered")
        order, ticket = first.work_order_id, first.ticket_id
        self.assertEqual(ticket.channel_id, self.planned_channel)
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertFalse(ticket.partner_id, "no reporter: nobody gets reporter e-mails")
        self.assertFalse(ticket.klusheeren_ack_pending)
        self.assertEqual(ticket.stage_id, self.stage("waiting_external"))
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.mail_pending)
        self.assertEqual((order.recurring_job_id, str(order.planned_date)), (job, "2027-03-10"))
        self.assertEqual(order.contractor_id, self.contractor)
        self.assertEqual(order.user_id, self.backoffice)
        self.assertEqual(order.line_ids.mapped("name"), ["Reinigingsmiddel"])
        self.assertIn("10 maart 2027", order.contractor_info, "the due date in the contractor's language")
        self.assertIn("Gepland onderhoud", order.contractor_info)
        self.assertIn("Sleutel bij de receptie", order.contractor_info)
        self.assertEqual(len(occurrences.filtered(lambda o: o.state == "ordered")), 1)
        # again, the same day and the next: nothing twice
        self.run_at("2027-03-03 18:00:00", job)
        self.run_at("2027-03-04 06:00:00", job)
        self.assertEqual(self.WorkOrder.search_count([("recurring_job_id", "=", job.id)]), 1)
        self.assertEqual(len(job.occurrence_ids), 12)
        # the sending job e-mails it with the work order report, which shows the due date (the
        # report's HTML: the PDF of the same template is rendered by klusheeren_helpdesk's tests;
        # wkhtmltopdf, which fetches the report's assets over HTTP, stalls under Odoo's own runner)
        self.WorkOrder._cron_send_pending()
        mail = self.mails_to(self.contractor).filtered(lambda m: m.model == order._name and m.res_id == order.id)
        self.assertEqual(len(mail), 1)
        self.assertEqual(len(mail.attachment_ids), 1, "the work order report")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("klusheeren_helpdesk.action_report_work_order", order.ids)[0]
            .decode()
        )
        self.assertIn("o_klusheeren_planned_date", html)
        self.assertRegex(html, r"Vervaldatum</th>\s*<td><span>10-03-2027</span>", "in the contractor's language")
        # reminders as for any work order: not accepted after a day
        with freeze_time("2027-03-04 08:00:00"):
            self.WorkOrder._cron_remind()
        self.assertEqual(order.reminder_count, 1)

    def test_who_gets_the_work_order(self):
        other = self.env["maintenance.equipment"].create(
            {"name": "Vriezer", "site_id": self.site.id, "contractor_id": self.contractor_en.id}
        )
        no_mail = self.env["res.partner"].create(
            {"name": "Belmonteur", "is_company": True, "klusheeren_is_contractor": True}
        )
        by_phone = self.env["maintenance.equipment"].create(
            {"name": "Ijsmachine", "site_id": self.site.id, "contractor_id": no_mail.id}
        )
        equipment = self.equipment | other | self.equipment_none | by_phone
        job = self.make_job(date_start="2027-03-05", equipment_ids=[(6, 0, equipment.ids)])
        occurrences = self.run_at("2027-03-01 06:00:00", job).filtered(lambda o: o.state == "ordered")
        self.assertEqual(len(occurrences), 4)
        by_eq = {o.equipment_id: o for o in occurrences}
        self.assertEqual(by_eq[self.equipment].work_order_id.contractor_id, self.contractor)
        self.assertEqual(by_eq[other].work_order_id.contractor_id, self.contractor_en, "the equipment's")
        self.assertIn("due on March 5, 2027", by_eq[other].work_order_id.contractor_info, "in English for them")
        # no contractor known: the ticket, and an activity for the job's responsible
        printer = by_eq[self.equipment_none]
        self.assertFalse(printer.work_order_id)
        self.assertEqual(printer.ticket_id.activity_ids.user_id, self.backoffice)
        # a contractor without e-mail: a draft with an activity, as for a reported fault
        draft = by_eq[by_phone].work_order_id
        self.assertEqual(draft.state, "draft")
        self.assertTrue(draft.activity_ids)
        # the job's contractor goes before the equipment's
        job2 = self.make_job(name="Extern", date_start="2027-03-05", contractor_id=self.contractor_en.id)
        occ = self.run_at("2027-03-01 06:00:00", job2)[0]
        self.assertEqual(occ.work_order_id.contractor_id, self.contractor_en)

    def test_a_site_without_equipment(self):
        self.site.klusheeren_contractor_id = self.contractor
        job = self.make_job(
            scope="site", site_id=self.site.id, equipment_ids=[(5,)], interval_type="weeks", date_start="2027-03-04"
        )
        occurrences = self.run_at("2027-03-03 06:00:00", job)
        self.assertEqual(len(occurrences), 53)
        self.assertFalse(occurrences.equipment_id)
        order = occurrences[0].work_order_id
        self.assertEqual((order.site_id, order.contractor_id), (self.site, self.contractor))
        self.run_at("2027-03-03 07:00:00", job)
        self.assertEqual(len(job.occurrence_ids), 53, "NULLS NOT DISTINCT: once per date without equipment")

    def test_category_at_sites_new_equipment_joins(self):
        category = self.env["maintenance.equipment.category"].create({"name": "Waterkoeler"})
        other_site = self.env["res.partner"].create({"name": "Elders", "is_company": True})
        first = self.env["maintenance.equipment"].create(
            {
                "name": "Waterkoeler 1",
                "category_id": category.id,
                "site_id": self.site.id,
                "contractor_id": self.contractor.id,
            }
        )
        self.env["maintenance.equipment"].create(
            {
                "name": "Waterkoeler elders",
                "category_id": category.id,
                "site_id": other_site.id,
                "contractor_id": self.contractor.id,
            }
        )
        job = self.make_job(
            scope="category",
            category_id=category.id,
            site_ids=[(6, 0, self.site.ids)],
            equipment_ids=[(5,)],
            interval_number=3,
            date_start="2027-04-01",
        )
        occurrences = self.run_at("2027-03-01 06:00:00", job)
        self.assertEqual(occurrences.equipment_id, first)
        second = self.env["maintenance.equipment"].create(
            {
                "name": "Waterkoeler 2",
                "category_id": category.id,
                "site_id": self.site.id,
                "contractor_id": self.contractor.id,
            }
        )
        occurrences = self.run_at("2027-03-02 06:00:00", job)
        self.assertEqual(occurrences.equipment_id, first | second)
        self.assertEqual(
            self.dates(occurrences.filtered(lambda o: o.equipment_id == second)),
            ["2027-04-01", "2027-07-01", "2027-10-01", "2028-01-01"],
        )

    def test_missed_occurrences_are_listed_not_created(self):
        """The daily job did not run from January to mid-April: what fell due meanwhile is
        listed for the back office; only what is due from now on gets a work order."""
        job = self.make_job(date_start="2027-01-10", horizon_days=30)
        self.run_at("2027-01-01 06:00:00", job)
        self.assertEqual(self.dates(job.occurrence_ids), ["2027-01-10"])
        with freeze_time("2027-04-15 06:00:00"):
            self.Job._cron_plan()
        missed = job.occurrence_ids.filtered(lambda o: o.state == "missed")
        self.assertEqual(self.dates(missed), ["2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10"])
        self.assertFalse(self.WorkOrder.search([("recurring_job_id", "=", job.id)]), "no burst of late orders")
        self.assertEqual(self.dates(job.occurrence_ids.filtered(lambda o: o.state == "planned")), ["2027-05-10"])
        self.assertEqual(job.missed_count, 4)
        # the back office orders one late and skips the others
        with freeze_time("2027-04-15 09:00:00"):
            missed[-1].with_user(self.backoffice).action_order_now()
            (missed - missed[-1]).with_user(self.backoffice).action_skip()
        self.assertEqual(missed[-1].work_order_id.state, "sent")
        self.assertEqual(set((missed - missed[-1]).mapped("state")), {"skipped"})
        with freeze_time("2027-05-03 06:00:00"):
            self.Job._cron_plan()
        self.assertEqual(self.WorkOrder.search_count([("recurring_job_id", "=", job.id)]), 2)

    def test_after_completion_and_a_number_of_times(self):
        job = self.make_job(
            date_start="2027-03-05",
            schedule_type="after_done",
            interval_type="weeks",
            interval_number=2,
            end_type="count",
            occurrence_limit=2,
        )
        occurrences = self.run_at("2027-03-04 06:00:00", job)
        self.assertEqual(len(occurrences), 1, "one at a time")
        order = occurrences.work_order_id
        with freeze_time("2027-03-08 10:00:00"):
            order.with_user(self.backoffice).action_accept()
            order.with_user(self.backoffice).action_done()  # 3 days late
        self.assertEqual(self.dates(job.occurrence_ids), ["2027-03-05", "2027-03-22"], "2 weeks after completion")
        second = job.occurrence_ids.sorted("due_date")[1]
        self.run_at("2027-03-20 06:00:00", job)
        with freeze_time("2027-03-21 10:00:00"):
            second.work_order_id.with_user(self.backoffice).action_accept()
            second.work_order_id.with_user(self.backoffice).action_done()
        self.run_at("2027-03-22 06:00:00", job)
        self.assertEqual(len(job.occurrence_ids), 2, "ends after 2 times")
        # compliance: one late, one on time, for this contractor at this site
        groups = self.Occurrence._read_group(
            [("job_id", "=", job.id)],
            ["contractor_id", "site_id"],
            ["__count", "is_done:sum", "is_done_on_time:sum", "on_time_rate:avg"],
        )
        self.assertEqual(groups, [(self.contractor, self.site, 2, 2, 1, 50.0)])

    def test_only_the_back_office(self):
        job = self.make_job(date_start="2027-03-05")
        portal = new_test_user(self.env, login="kh_portal_rec", groups="base.group_portal")
        employee = new_test_user(self.env, login="kh_employee_rec", groups="base.group_user")
        for user in (portal, employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                job.with_user(user).action_plan_now()
        self.run_at("2027-03-01 06:00:00", job)
        occurrence = job.occurrence_ids.filtered(lambda o: o.state == "planned")[:1]
        for user in (portal, employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                occurrence.with_user(user).action_order_now()
        with self.assertRaises(AccessError):
            occurrence.with_user(self.backoffice).write({"state": "skipped"})
        self.assertEqual(occurrence.state, "planned")
        with freeze_time(datetime(2027, 3, 1, 6) + timedelta(hours=1)):
            job.with_user(self.backoffice).action_plan_now()
