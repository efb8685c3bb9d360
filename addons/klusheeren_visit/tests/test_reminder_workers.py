from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReminderWorkers(TransactionCase):
    """Two cron workers (two real database connections) never send the same reminder."""

    def _committed_visit(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Partner = env["res.partner"]
            contractor = Partner.create(
                {
                    "name": "Workers Contractor",
                    "email": "workers@example.com",
                    "klusheeren_is_contractor": True,
                    "is_company": True,
                }
            )
            site = Partner.create({"name": "Workers site", "is_company": True})
            reporter = Partner.create(
                {"name": "Workers Reporter", "email": "workers.reporter@example.com", "lang": "en_US"}
            )
            equipment = env["maintenance.equipment"].create(
                {"name": "Workers fridge", "site_id": site.id, "contractor_id": contractor.id}
            )
            ticket = (
                env["helpdesk.ticket"]
                .with_context(klusheeren_no_auto_work_order=True, klusheeren_no_mail=True)
                .create(
                    {
                        "name": "Workers: broken",
                        "equipment_id": equipment.id,
                        "partner_id": reporter.id,
                        "description": "<p>x</p>",
                    }
                )
            )
            order = env["klusheeren.work.order"].create(
                {
                    "ticket_id": ticket.id,
                    "equipment_id": equipment.id,
                    "contractor_id": contractor.id,
                    "title": "Workers",
                }
            )
            order.write({"state": "accepted", "appointment_date": fields.Datetime.now() + timedelta(days=5)})
            visit = order.klusheeren_visit_ids
            visit.write({"reminder_state": "scheduled", "reminder_at": fields.Datetime.now() - timedelta(minutes=1)})
            # other due reminders (the demo's) wait until the test is over
            cr.execute(
                "UPDATE klusheeren_visit SET reminder_state = 'skipped' WHERE reminder_state = 'scheduled'"
                " AND id != %s RETURNING id",
                [visit.id],
            )
            paused = [row[0] for row in cr.fetchall()]
            ids = {
                "visit": visit.id,
                "paused": paused,
                "order": order.id,
                "ticket": ticket.id,
                "equipment": equipment.id,
                "partners": [contractor.id, site.id, reporter.id],
            }
        self.addCleanup(self._drop, ids)
        return ids

    def _drop(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.mail"].search([("model", "=", "klusheeren.visit"), ("res_id", "=", ids["visit"])]).unlink()
            env["mail.mail"].search([("model", "=", "klusheeren.work.order"), ("res_id", "=", ids["order"])]).unlink()
            env["helpdesk.ticket"].browse(ids["ticket"]).unlink()
            env["maintenance.equipment"].browse(ids["equipment"]).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()
            if ids["paused"]:
                cr.execute(
                    "UPDATE klusheeren_visit SET reminder_state = 'scheduled' WHERE id IN %s", [tuple(ids["paused"])]
                )

    def _reminders(self, cr, visit_id):
        cr.execute(
            "SELECT count(*) FROM mail_mail m JOIN mail_message msg ON msg.id = m.mail_message_id"
            " WHERE msg.model = 'klusheeren.visit' AND msg.res_id = %s AND msg.subject LIKE 'Reminder%%'",
            [visit_id],
        )
        return cr.fetchone()[0]

    def test_two_workers_send_one_reminder(self):
        ids = self._committed_visit()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # worker B's snapshot starts before A sends
            self.assertEqual(env_b["klusheeren.visit"].browse(ids["visit"]).reminder_state, "scheduled")
            sent_a = env_a["klusheeren.visit"]._cron_send_reminders()
            self.assertEqual(sent_a.ids, [ids["visit"]])
            # A has not committed: B skips the locked row
            self.assertFalse(env_b["klusheeren.visit"]._cron_send_reminders())
            cr_a.commit()
            # A committed after B's snapshot: B still sees 'scheduled', and still sends nothing
            self.assertFalse(env_b["klusheeren.visit"]._cron_send_reminders())
            cr_b.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertFalse(env["klusheeren.visit"]._cron_send_reminders(), "a third run: nothing")
            self.assertEqual(env["klusheeren.visit"].browse(ids["visit"]).reminder_state, "sent")
            self.assertEqual(self._reminders(cr, ids["visit"]), 1, "one reminder e-mail")

    def test_the_page_and_the_job_never_fail_an_update(self):
        """The contact's page and the reminder job write the same visit row: the page takes the row
        lock first (klusheeren.token.door._klusheeren_lock). A job's commit after the page's snapshot
        refuses the lock unlogged (Odoo replays the request), never a failed UPDATE ('bad query'
        ERROR); a page that holds the lock makes the job pass the visit by until the next run."""
        ids = self._committed_visit()
        with self.registry.cursor() as cr:
            token = (
                api.Environment(cr, SUPERUSER_ID, {})["klusheeren.visit"].browse(ids["visit"])._portal_ensure_token()
            )
        # 1. the job commits after the page's snapshot began
        with self.registry.cursor() as cr_page, self.registry.cursor() as cr_job:
            env_page = api.Environment(cr_page, SUPERUSER_ID, {})
            env_job = api.Environment(cr_job, SUPERUSER_ID, {})
            self.assertEqual(env_page["klusheeren.visit"].browse(ids["visit"]).state, "planned")  # the snapshot
            self.assertEqual(env_job["klusheeren.visit"]._cron_send_reminders().ids, [ids["visit"]])
            cr_job.commit()
            with self.assertNoLogs("odoo.sql_db", "ERROR"), self.assertRaises(psycopg2.errors.SerializationFailure):
                env_page["klusheeren.visit"].browse(ids["visit"]).portal_confirm(token)
            cr_page.rollback()
        # the replay (Odoo's retrying: a new transaction) confirms
        with self.registry.cursor() as cr_page:
            env_page = api.Environment(cr_page, SUPERUSER_ID, {})
            self.assertTrue(env_page["klusheeren.visit"].browse(ids["visit"]).portal_confirm(token))
        # 2. the page holds the lock: the job passes the visit by and takes it at its next run
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE klusheeren_visit SET reminder_state = 'scheduled', reminder_at = now() at time zone 'UTC'"
                " - interval '1 minute' WHERE id = %s",
                [ids["visit"]],
            )
        with self.registry.cursor() as cr_page, self.registry.cursor() as cr_job:
            env_page = api.Environment(cr_page, SUPERUSER_ID, {})
            env_job = api.Environment(cr_job, SUPERUSER_ID, {})
            with self.assertNoLogs("odoo.sql_db", "ERROR"):
                env_page["klusheeren.visit"].browse(ids["visit"]).portal_reschedule(token, "Friday morning")
                self.assertFalse(env_job["klusheeren.visit"]._cron_send_reminders(), "the page holds the visit")
                cr_job.rollback()
                cr_page.commit()
                self.assertEqual(env_job["klusheeren.visit"]._cron_send_reminders().ids, [ids["visit"]])
                cr_job.commit()
        with self.registry.cursor() as cr:
            visit = api.Environment(cr, SUPERUSER_ID, {})["klusheeren.visit"].browse(ids["visit"])
            self.assertEqual((visit.state, visit.reminder_state), ("reschedule", "sent"))
            self.assertEqual(self._reminders(cr, ids["visit"]), 2, "the first reminder and the one after the reset")
