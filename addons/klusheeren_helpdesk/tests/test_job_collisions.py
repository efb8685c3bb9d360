"""The sending job and the requests never collide on a ticket.

Tokens are made with the records, so the job only reads them; the records the job does write
(its flags, its attempt counter) it locks first, each in a transaction of its own, and a request
that wrote the ticket meanwhile makes it start that transaction again at once, quietly. Real
transactions on their own cursors, committed, cleaned up afterwards.
"""

import threading
import time
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .common import KlusheerenHelpdeskCase


@tagged("post_install", "-at_install")
class TestTokensMadeWithTheRecords(KlusheerenHelpdeskCase):
    def test_the_job_writes_no_token(self):
        ticket = self.report()
        order = ticket.work_order_ids
        tokens = (ticket.access_token, order.access_token)
        self.assertTrue(all(tokens), "made with the ticket and its work order")
        self.assertGreaterEqual(min(len(t) for t in tokens), 43, "256 bits")
        self.send_pending()
        self.assertEqual((ticket.access_token, order.access_token), tokens, "the sending job wrote none")
        self.assertEqual(ticket._portal_ensure_token(), tokens[0])
        self.assertNotEqual(self.report().access_token, tokens[0], "one of its own per ticket")


@tagged("post_install", "-at_install")
class TestJobLock(TransactionCase):
    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = (
                env["helpdesk.ticket"]
                .with_context(klusheeren_no_mail=True, klusheeren_no_auto_work_order=True)
                .create({"name": f"Collision {tag}", "description": "<p>Lekt</p>"})
            )
            self.ticket_id = ticket.id
            cr.commit()  # pylint: disable=invalid-commit

    def tearDown(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["helpdesk.ticket"].browse(self.ticket_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit
        super().tearDown()

    def test_a_request_writing_the_ticket_makes_the_job_start_again_not_fail(self):
        result = {}
        with self.registry.cursor() as cr_request, self.registry.cursor() as cr_job:
            request_env = api.Environment(cr_request, SUPERUSER_ID, {})
            job_env = api.Environment(cr_job, SUPERUSER_ID, {"ir_cron_progress_id": -1})
            cr_job.execute("SELECT 1")  # the job's snapshot: before the request commits
            request_env["helpdesk.ticket"].browse(self.ticket_id).write({"partner_phone": "06 1"})
            request_env.flush_all()

            def job():
                ticket = job_env["helpdesk.ticket"].browse(self.ticket_id)
                result["locked"] = ticket._klusheeren_job_lock()
                ticket.write({"klusheeren_announce_pending": False, "partner_name": "Job"})
                job_env.flush_all()
                cr_job.commit()  # pylint: disable=invalid-commit

            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                thread = threading.Thread(target=job)
                thread.start()
                time.sleep(0.5)
                self.assertTrue(thread.is_alive(), "the job waits for the request's lock")
                cr_request.commit()  # pylint: disable=invalid-commit
                thread.join(30)
        self.assertTrue(result.get("locked"))
        with self.registry.cursor() as cr:
            ticket = api.Environment(cr, SUPERUSER_ID, {})["helpdesk.ticket"].browse(self.ticket_id)
            self.assertEqual((ticket.partner_phone, ticket.partner_name), ("06 1", "Job"), "both writes kept")
