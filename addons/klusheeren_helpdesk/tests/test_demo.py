"""The demo data sends its e-mails, on any database: also one created in English only (as
scripts/test-odoo-runner.sh creates it), where the demo loads the Dutch it needs itself."""

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.klusheeren_equipment.tests.common import real_pdf_rendering

DEMO_ORDERS = ("coffee", "fridge", "boiler", "coffee_old")


@tagged("post_install", "-at_install")
class TestDemo(BaseCommon):
    def test_mail_templates_keep_their_model(self):
        """A failed demo install once rolled back the templates' stored model (the sending job
        then failed with KeyError: False on every run): read it from the database itself."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT d.module || '.' || d.name, t.model, m.model
                 FROM mail_template t
                 JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = t.id
                 LEFT JOIN ir_model m ON m.id = t.model_id
                WHERE d.module LIKE 'klusheeren%%'"""
        )
        rows = self.env.cr.fetchall()
        self.assertGreaterEqual(len(rows), 6)
        for xmlid, model, model_of_id in rows:
            self.assertTrue(model, f"{xmlid} has no model")
            self.assertEqual(model, model_of_id, xmlid)

    def test_demo_installed_with_dutch_and_its_emails_go_out(self):
        modules = self.env["ir.module.module"].search([("name", "in", ("klusheeren_equipment", "klusheeren_helpdesk"))])
        self.assertEqual(modules.mapped("demo"), [True, True], "installed with their demo data")
        self.assertIn("nl_NL", [code for code, _name in self.env["res.lang"].get_installed()])
        orders = self.env["klusheeren.work.order"].browse(
            [self.env.ref(f"klusheeren_helpdesk.demo_work_order_{name}").id for name in DEMO_ORDERS]
        )
        with real_pdf_rendering(self):
            self.env["klusheeren.work.order"].with_context(force_report_rendering=True)._cron_send_pending()
        self.assertFalse(any(orders.mapped("mail_pending")))
        Mail = self.env["mail.mail"]
        for order in orders:
            mail = Mail.search(
                [
                    ("model", "=", order._name),
                    ("res_id", "=", order.id),
                    ("recipient_ids", "in", order.contractor_id.ids),
                ]
            )
            self.assertEqual(len(mail), 1, order.name)
            self.assertIn(f"Nieuwe opdracht {order.name}", mail.subject, "in the contractor's Dutch")
            self.assertTrue(mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf"))
        # the reporters' confirmations, in their language: Sam Smith reads English
        sam = self.env.ref("klusheeren_helpdesk.demo_reporter_sam")
        douwe = self.env.ref("klusheeren_helpdesk.demo_reporter_douwe")
        fridge = self.env.ref("klusheeren_helpdesk.demo_ticket_fridge")
        self.assertFalse(fridge.klusheeren_ack_pending)
        to_sam = Mail.search([("model", "=", "helpdesk.ticket"), ("recipient_ids", "in", sam.ids)])
        self.assertIn(f"We received your report {fridge.number}", to_sam.mapped("subject"))
        to_douwe = Mail.search([("model", "=", "helpdesk.ticket"), ("recipient_ids", "in", douwe.ids)])
        self.assertTrue(any(s.startswith("We hebben uw melding") for s in to_douwe.mapped("subject")))

    def test_helpdesk_mgmt_demo_tickets_are_not_in_the_demo(self):
        """helpdesk_mgmt's own English demo tickets (HT00001…) are archived by this demo, by XML id (so
        also on a database installed in English), and their queued e-mails were never sent."""
        tickets = self.env["helpdesk.ticket"].with_context(active_test=False)
        tickets = tickets.browse([self.env.ref(f"helpdesk_mgmt.helpdesk_ticket_{n}").id for n in range(1, 9)])
        self.assertEqual(tickets.mapped("active"), [False] * 8)
        self.assertFalse(self.env["helpdesk.ticket"].search([("id", "in", tickets.ids)]))
        mails = self.env["mail.mail"].search([("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)])
        self.assertFalse(mails.filtered(lambda m: m.state in ("outgoing", "sent", "exception")))
