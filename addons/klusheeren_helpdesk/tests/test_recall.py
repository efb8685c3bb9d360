from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KlusheerenHelpdeskCase


@tagged("post_install", "-at_install")
class TestRecall(KlusheerenHelpdeskCase):
    """Issue 24: repeat failures become recalls of the same contractor, the machine's history,
    first-time fix, and the updates of those who said "me too"."""

    def complete(self, ticket, days_ago=0):
        order = ticket.work_order_ids
        order.action_accept()
        order.sudo().contractor_save({"contractor_remarks": "Thermostaat vervangen", "amount_total": 120.0})
        order.sudo().action_done()
        if days_ago:
            self.env.flush_all()
            done = fields.Datetime.now() - timedelta(days=days_ago)
            self.env.cr.execute("UPDATE klusheeren_work_order SET date_done = %s WHERE id = %s", [done, order.id])
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [done - timedelta(hours=30), ticket.id]
            )
            self.env.invalidate_all()
        return order

    def test_repeat_within_the_period_is_a_recall_of_the_same_contractor(self):
        first = self.report()
        earlier = self.complete(first, days_ago=10)
        # the rules would now give another contractor: the recall still goes to the earlier one
        self.equipment.contractor_id = self.contractor_en
        again = self.report(description="Koelt weer niet.")
        self.assertTrue(again.klusheeren_repeat)
        self.assertEqual(again.klusheeren_repeat_of_id, earlier)
        order = again.work_order_ids
        self.assertEqual(order.contractor_id, self.contractor, "back to the same contractor")
        self.assertEqual(order.klusheeren_recall_of_id, earlier)
        self.assertTrue(order.warranty, "a recall under warranty")
        self.assertEqual(order.state, "sent")
        activity = again.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("klusheeren_helpdesk.mail_activity_type_repeat")
        )
        self.assertEqual(len(activity), 1)
        self.assertIn(earlier.name, activity.summary)
        self.assertEqual(activity.user_id, self.backoffice)
        # the contractor's page sees its earlier order in full
        rows = order._klusheeren_contractor_history()
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0]["own"])
        self.assertEqual(rows[0]["name"], earlier.name)
        self.assertTrue(rows[0]["came_back"])

    def test_outside_the_period_or_switched_off_no_recall(self):
        self.complete(self.report(), days_ago=31)
        self.equipment.contractor_id = self.contractor_en
        late = self.report()
        self.assertFalse(late.klusheeren_repeat)
        self.assertEqual(late.work_order_ids.contractor_id, self.contractor_en)
        self.assertFalse(late.work_order_ids.klusheeren_recall_of_id)
        self.assertFalse(late.work_order_ids.warranty)
        # a longer period makes it a repeat; without "same contractor" the rules choose
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_helpdesk.recall_days", 60)
        ICP.set_param("klusheeren_helpdesk.recall_by_rules", "True")
        other = self.report(self.equipment)
        self.assertTrue(other.klusheeren_repeat)
        self.assertEqual(other.work_order_ids.contractor_id, self.contractor_en)
        self.assertFalse(other.work_order_ids.klusheeren_recall_of_id, "another contractor: no recall")

    def test_history_and_first_time_fix(self):
        first = self.report(description="Lekt water.")
        earlier = self.complete(first, days_ago=5)
        self.equipment.contractor_id = self.contractor_en
        second = self.report(description="Lekt weer water.")
        recall = second.work_order_ids
        self.assertEqual(recall.klusheeren_recall_of_id, earlier)
        # another contractor's earlier order: date and description only
        recall.contractor_id = self.contractor_en
        rows = recall._klusheeren_contractor_history()
        self.assertEqual(len(rows), 1)
        self.assertFalse(rows[0]["own"])
        self.assertEqual(set(rows[0]), {"date", "what", "own"}, "no price, no name")
        history = second.with_user(self.backoffice).klusheeren_history_ids
        self.assertEqual(history, first)
        self.assertEqual(first.with_user(self.backoffice).klusheeren_solved_by_id, self.contractor)
        self.assertTrue(first.klusheeren_came_back)
        self.assertAlmostEqual(first.klusheeren_fix_hours, 30.0, places=1)
        self.assertEqual(recall.with_user(self.backoffice).klusheeren_history_ids, first)
        action = second.with_user(self.backoffice).action_klusheeren_view_history()
        self.assertEqual(self.Ticket.search(action["domain"]), first)
        # first-time fix: the recalled order 0 %, a clean one 100 %
        clean = self.report(self.equipment_en)
        self.complete(clean)
        Report = self.env["klusheeren.ticket.report"]
        Report._klusheeren_refresh()
        self.assertEqual(Report.search([("ticket_id", "=", first.id)]).first_time_fix_rate, 0.0)
        self.assertEqual(Report.search([("ticket_id", "=", clean.id)]).first_time_fix_rate, 100.0)
        self.assertEqual(Report.search([("ticket_id", "=", second.id)]).repeat_count, 1)
        (group,) = Report._read_group([("ticket_id", "in", (first | clean).ids)], [], ["first_time_fix_rate:avg"])
        self.assertEqual(group[0], 50.0)

    def test_subscribers_hear_of_the_same_moments(self):
        ticket = self.report()
        Subscriber = self.env["klusheeren.ticket.subscriber"]
        before = self.Mail.search([]).ids
        sms_before = self.env["sms.sms"].search([]).ids if "sms.sms" in self.env else []
        Subscriber._klusheeren_subscribe(self.equipment, ticket.id, "collega@example.com", lang="nl_NL")
        Subscriber._klusheeren_subscribe(self.equipment, ticket.id, "Collega@Example.com ")
        Subscriber._klusheeren_subscribe(self.equipment, ticket.id, phone="+31 6 1234 5678")
        Subscriber._klusheeren_subscribe(self.equipment, ticket.id, phone="0031612345678")  # the same number
        Subscriber._klusheeren_subscribe(self.equipment, ticket.id, "douwe@example.com")  # the reporter
        self.assertEqual(ticket.klusheeren_subscriber_ids.mapped("email"), ["collega@example.com", False])
        self.assertEqual(ticket.klusheeren_subscriber_count, 2)
        self.assertFalse(self.Mail.search([("id", "not in", before)]), "subscribing sends nothing")
        with self.assertRaises(UserError):
            Subscriber._klusheeren_subscribe(self.equipment_en, ticket.id, "ander@example.com")
        with self.assertRaises(UserError):
            Subscriber._klusheeren_subscribe(self.equipment, ticket.id, "geen adres")
        order = ticket.work_order_ids
        order.action_accept()
        order.sudo().action_done()
        mails = self.Mail.search([("id", "not in", before), ("email_to", "=", "collega@example.com")])
        self.assertEqual(len(mails), 2, "accepted and done")
        if "sms.sms" in self.env:
            # (the demo's own SMS may go to the same sample number)
            texts = self.env["sms.sms"].search([("number", "=", "+31612345678"), ("id", "not in", sms_before)])
            self.assertEqual(len(texts), 2, "the phone subscriber's SMS, queued")
            self.assertIn("/klusheeren/follow/", texts[0].body)
        subscriber = ticket.klusheeren_subscriber_ids.filtered("email")
        self.assertIn(subscriber.access_token, mails[-1].body_html)
        self.assertNotIn(ticket.access_token, mails[-1].body_html, "never the reporter's link")
        self.assertNotIn("douwe@example.com", mails[-1].body_html)
        self.assertNotIn("Douwe", mails[-1].body_html)
        self.assertFalse(mails.recipient_ids, "no contact made for a subscriber")
        # closed: no open report any more
        with self.assertRaises(UserError):
            Subscriber._klusheeren_subscribe(self.equipment, ticket.id, "laat@example.com")
        # the own link stops the messages; another token changes nothing
        self.assertFalse(subscriber._klusheeren_unsubscribe("x" * 43))
        self.assertTrue(subscriber.active)
        self.assertTrue(subscriber._klusheeren_unsubscribe(subscriber.access_token))
        self.assertFalse(subscriber.active)
        # a month after the ticket closed, the addresses are erased
        ticket._klusheeren_set_stage("closed")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET last_stage_update = now() - interval '31 days' WHERE id = %s", [ticket.id]
        )
        self.env.invalidate_all()
        Subscriber._gc_closed()
        self.assertFalse(Subscriber.with_context(active_test=False).search([("ticket_id", "=", ticket.id)]))
