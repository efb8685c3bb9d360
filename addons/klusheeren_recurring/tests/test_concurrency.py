import threading
import uuid

from freezegun import freeze_time
from psycopg2 import IntegrityError
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

NOW = "2027-03-01 06:00:00"


@tagged("post_install", "-at_install")
class TestExactlyOnce(TransactionCase):
    """Two workers (or two machines) plan the same job at the same moment: each occurrence gets
    one work order. Real transactions on their own cursors, committed, cleaned up afterwards."""

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"klusheeren_no_sticker": True})
            contractor = env["res.partner"].create(
                {
                    "name": f"Race {self.tag}",
                    "is_company": True,
                    "klusheeren_is_contractor": True,
                    "email": f"race-{self.tag}@example.com",
                }
            )
            equipment = env["maintenance.equipment"].create(
                [{"name": f"Race {self.tag} {i}", "contractor_id": contractor.id} for i in range(3)]
            )
            job = env["klusheeren.recurring.job"].create(
                {
                    "name": f"Race {self.tag}",
                    "equipment_ids": [(6, 0, equipment.ids)],
                    "date_start": "2027-03-05",
                    "horizon_days": 60,
                }
            )
            self.ids = {"contractor": contractor.id, "equipment": equipment.ids, "job": job.id}
            cr.commit()  # pylint: disable=invalid-commit

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["klusheeren.work.order"].search([("recurring_job_id", "=", self.ids["job"])])
            tickets = (
                orders.ticket_id
                | env["klusheeren.recurring.occurrence"].search([("job_id", "=", self.ids["job"])]).ticket_id
            )
            env["mail.mail"].search([("model", "=", "klusheeren.work.order"), ("res_id", "in", orders.ids)]).unlink()
            tickets.unlink()
            env["klusheeren.recurring.job"].browse(self.ids["job"]).unlink()
            env["maintenance.equipment"].browse(self.ids["equipment"]).unlink()
            env["res.partner"].browse(self.ids["contractor"]).unlink()
            cr.commit()  # pylint: disable=invalid-commit
        super().tearDown()

    def race(self, first, second):
        """``first`` runs in one transaction and holds it open; ``second`` starts in another
        (its snapshot taken before the first commits) and has to wait for it."""
        result = {}
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr1.execute("SELECT 1")
            cr2.execute("SELECT 1")
            with freeze_time(NOW):
                result["first"] = first(env1)

                def run_second():
                    try:
                        result["second"] = second(env2)
                        cr2.commit()  # pylint: disable=invalid-commit
                    except Exception as error:
                        result["error"] = error
                        cr2.rollback()

                thread = threading.Thread(target=run_second)
                thread.start()
                thread.join(2)
                self.assertTrue(thread.is_alive(), "the second transaction waits for the first")
                cr1.commit()  # pylint: disable=invalid-commit
                thread.join(60)
            self.assertFalse(thread.is_alive())
        return result

    def counts(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = env["klusheeren.recurring.job"].browse(self.ids["job"])
            orders = env["klusheeren.work.order"].search([("recurring_job_id", "=", job.id)])
            tickets = env["helpdesk.ticket"].search([("equipment_id", "in", self.ids["equipment"])])
            keys = {(o.planned_date, o.equipment_id.id) for o in orders}
            return len(job.occurrence_ids), len(orders), len(tickets), keys, orders.ids

    def test_two_workers_plan_the_same_job(self):
        def plan(env):
            env["klusheeren.recurring.job"].browse(self.ids["job"])._klusheeren_run()
            return env["klusheeren.work.order"].search_count([("recurring_job_id", "=", self.ids["job"])])

        with mute_logger("odoo.addons.klusheeren_recurring.models.klusheeren_recurring_job"):
            result = self.race(plan, plan)
        self.assertEqual(result.get("first"), 3)
        self.assertNotIn("error", result, "the second worker skips, it does not fail")
        self.assertEqual(result["second"], 0, "nothing of its own: the first one had it")
        occurrences, orders, tickets, keys, _ids = self.counts()
        self.assertEqual((occurrences, orders, tickets, len(keys)), (6, 3, 3, 3))

    def test_two_workers_order_the_same_occurrences(self):
        with self.registry.cursor() as cr, freeze_time(NOW):
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["klusheeren.recurring.job"].browse(self.ids["job"])._klusheeren_plan()
            cr.commit()  # pylint: disable=invalid-commit

        def order(env):
            job = env["klusheeren.recurring.job"].browse(self.ids["job"])
            return len(env["klusheeren.recurring.occurrence"]._klusheeren_order_due(job))

        with mute_logger("odoo.addons.klusheeren_recurring.models.klusheeren_recurring_occurrence"):
            result = self.race(order, order)
        self.assertEqual((result.get("first"), result.get("second")), (3, 0))
        self.assertEqual(self.counts()[1:3], (3, 3))

    def test_the_database_refuses_a_second_work_order(self):
        """Whatever the code path, the unique index has the last word: a second work order of
        the same job, due date and equipment is refused by the database."""
        with self.registry.cursor() as cr, freeze_time(NOW):
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["klusheeren.recurring.job"].browse(self.ids["job"])._klusheeren_run()
            cr.commit()  # pylint: disable=invalid-commit
        original_id = self.counts()[4][0]

        def duplicate(env):
            order = env["klusheeren.work.order"].browse(original_id)
            ticket = (
                env["helpdesk.ticket"]
                .with_context(klusheeren_no_auto_work_order=True)
                .create({"name": "dubbel", "equipment_id": order.equipment_id.id})
            )
            env["klusheeren.work.order"].create(
                {
                    "ticket_id": ticket.id,
                    "equipment_id": order.equipment_id.id,
                    "contractor_id": order.contractor_id.id,
                    "title": "dubbel",
                    "recurring_job_id": order.recurring_job_id.id,
                    "planned_date": order.planned_date,
                }
            )
            env.flush_all()
            return ticket.id

        with self.registry.cursor() as cr:
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
                duplicate(api.Environment(cr, SUPERUSER_ID, {"klusheeren_no_mail": True}))
            cr.rollback()
        self.assertEqual(self.counts()[1], 3)
        self.assertTrue(issubclass(pg_errors.UniqueViolation, IntegrityError))
