"""End to end: a fault report while the mail server is down loses nothing.

The ticket and the work order are created at once; the e-mails (the reporter's confirmation, the
contractor's work order with its PDF) wait in the real mail queue, fail to connect, and are queued
again by the retry job, for the next run of the queue.
"""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_mail_server import IrMail_Server
from odoo.addons.klusheeren_equipment.tests.common import real_pdf_rendering


@tagged("post_install", "-at_install")
class TestMailServerDown(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contractor = cls.env["res.partner"].create(
            {
                "name": "Storingsdienst West",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "west@example.com",
            }
        )
        cls.equipment = cls.env["maintenance.equipment"].create(
            {
                "name": "Vaatwasser",
                "contractor_id": cls.contractor.id,
                "site_id": cls.env["res.partner"].create({"name": "Kantoor Oost", "is_company": True}).id,
            }
        )
        cls.env["klusheeren.work.order"].search([("mail_pending", "=", True)]).mail_pending = False

    def test_tickets_never_wait_for_the_mail_server(self):
        Mail = self.env["mail.mail"]
        with patch.object(IrMail_Server, "_connect__", side_effect=ConnectionRefusedError("server down")):
            ticket = self.env["helpdesk.ticket"]._klusheeren_create_report(
                self.equipment, "Vaatwasser lekt", "Ria", "ria@example.com", "", []
            )
            order = ticket.work_order_ids
            with real_pdf_rendering(self):
                self.env["klusheeren.work.order"].with_context(force_report_rendering=True)._cron_send_pending()
            mails = Mail.search(
                [("res_id", "in", (ticket.id, order.id)), ("model", "in", ("helpdesk.ticket", "klusheeren.work.order"))]
            )
            # the reporter's confirmation, the contractor's work order (and the team's announcement)
            self.assertEqual(len(mails.filtered(lambda m: ticket.partner_id in m.recipient_ids)), 1)
            self.assertEqual(len(mails.filtered(lambda m: m.model == "klusheeren.work.order")), 1)
            mails.send(raise_exception=False)
            self.assertEqual(set(mails.mapped("state")), {"exception"})
        # nothing lost
        self.assertTrue(ticket.exists())
        self.assertEqual(order.state, "sent")
        pdf = mails.filtered(lambda m: m.model == "klusheeren.work.order").attachment_ids
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        # the retry job queues them again, a bad address is not retried
        bad = Mail.create(
            {
                "email_to": "not-an-address",
                "subject": "x",
                "body_html": "<p>x</p>",
                "state": "exception",
                "failure_type": "mail_email_invalid",
            }
        )
        Mail._cron_klusheeren_retry_smtp_failures()
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(set(mails.mapped("klusheeren_job_failures")), {1})
        self.assertEqual(bad.state, "exception")
        # back in the queue: the next run of the mail queue, with the server up, sends them
        self.assertEqual(mails, Mail.search([("id", "in", mails.ids), ("state", "=", "outgoing")]))
