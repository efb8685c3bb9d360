"""End to end: a planned work order (klusheeren_recurring) on the contractor's page (klusheeren_portal):
its due date and instructions shown, accepted and completed there like any reported fault's."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestPlannedWorkOrderPage(KlusheerenPortalCase):
    def test_contractor_sees_the_due_date_and_completes(self):
        self.env["ir.module.module"]._load_module_terms(["klusheeren_recurring"], ["nl_NL"], overwrite=True)
        job = self.env["klusheeren.recurring.job"].create(
            {
                "name": "Jaarlijks onderhoud",
                "equipment_ids": [(6, 0, self.equipment.ids)],
                "interval_type": "years",
                "date_start": "2027-05-31",
                "instructions": "<p>Rookgasmeting bijvoegen.</p>",
            }
        )
        with freeze_time("2027-05-02 06:00:00"):  # 29 days ahead: within the 30 days of a yearly job
            job._klusheeren_run()
        order = self.WorkOrder.search([("recurring_job_id", "=", job.id)])
        self.assertEqual((order.state, order.contractor_id), ("sent", self.contractor))
        page = self.url_open(self.work_order_url(order))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Gepland onderhoud, uiterlijk op 31 mei 2027.", page.text)
        self.assertIn("Rookgasmeting bijvoegen.", page.text)
        self.assertIn("Jaarlijks onderhoud", page.text)
        # a token for another order, or none, shows nothing of it
        wrong = self.url_open(self.work_order_url(order, token="x" + order.access_token[1:]))
        self.assertIn(wrong.status_code, (403, 404))
        self.assertNotIn("31 mei 2027", wrong.text)
        # the same actions as for a reported fault
        self.assertEqual(self.post_work_order(order, "accept").status_code, 200)
        self.assertEqual(self.post_work_order(order, "done").status_code, 200)
        self.assertEqual(order.state, "done")
        occurrence = job.occurrence_ids.filtered(lambda o: o.work_order_id == order)
        self.assertEqual(occurrence.is_done, 1)
