import base64
import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.klusheeren_helpdesk.tests.common import PNG, KlusheerenHelpdeskCase

from ..models.res_config_settings import RETENTION_DEFAULT, RETENTION_PARAM


class TestPrivacy(KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Log = cls.env["privacy.log"]

    def closed_report(self, months_ago, email="oud@example.com", **kw):
        ticket = self.report(email=email, **kw)
        ticket._klusheeren_set_stage("closed", notify=False)
        ticket.closed_date = fields.Datetime.now() - relativedelta(months=months_ago)
        return ticket

    def retention(self):
        self.env.invalidate_all()
        return self.Partner._cron_klusheeren_retention()

    def test_default_is_defined_once_and_zero_is_off(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.klusheeren_retention_months, RETENTION_DEFAULT)
        self.assertEqual(RETENTION_DEFAULT, 24)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"klusheeren_retention_months": -1})
        ticket = self.closed_report(30)
        self.env["ir.config_parameter"].set_param(RETENTION_PARAM, "0")
        self.assertEqual(self.retention(), 0)
        self.assertFalse(ticket.klusheeren_anonymized)
        self.assertEqual(ticket.partner_id.email, "oud@example.com")

    def test_old_closed_ticket_is_anonymised_figures_stay(self):
        ticket = self.closed_report(25, phone="0612345678")
        order = ticket.work_order_ids
        partner = ticket.partner_id
        token = ticket._portal_ensure_token()
        photos = ticket.klusheeren_shared_attachment_ids
        self.assertTrue(photos)
        order.sudo().write({"amount_total": 123.45})
        messages_before = ticket.message_ids.filtered(lambda m: m.author_id != partner)
        self.assertEqual(self.retention(), 1)
        self.assertTrue(ticket.klusheeren_anonymized)
        self.assertEqual(ticket.partner_name, self.env._("Anonymised contact"))
        self.assertFalse(ticket.partner_email)
        self.assertFalse(ticket.partner_phone)
        self.assertNotEqual(ticket.access_token, token)
        self.assertFalse(photos.exists(), "the reporter's photos are removed")
        self.assertEqual(order.amount_total, 123.45, "amounts stay")
        self.assertTrue(ticket.exists() and order.exists())
        self.assertLessEqual(messages_before, ticket.message_ids, "the back office's messages stay")
        partner = partner.with_context(active_test=False)
        self.assertEqual(partner.name, self.env._("Anonymised contact"))
        self.assertFalse(partner.email)
        self.assertFalse(partner.phone)
        self.assertFalse(partner.active)
        self.assertTrue(partner.klusheeren_anonymized_date)
        self.assertNotIn(partner, ticket.message_partner_ids)
        self.assertTrue(self.Log.search([("records_description", "ilike", "1 tickets")]))
        # run again: nothing more to do
        self.assertEqual(self.retention(), 0)

    def test_pinned_photo_stays(self):
        ticket = self.closed_report(25)
        photo = ticket.klusheeren_shared_attachment_ids
        self.env["ir.attachment"].create(
            {
                "name": "vastgepind.png",
                "raw": PNG,
                "res_model": "maintenance.equipment",
                "res_id": self.equipment.id,
            }
        )
        self.retention()
        self.assertTrue(ticket.klusheeren_anonymized)
        self.assertTrue(photo.exists(), "a photo pinned to the equipment outlives the erasure")

    def test_open_ticket_or_recent_one_leaves_the_contact_alone(self):
        old = self.closed_report(30, email="bezig@example.com")
        self.report(email="bezig@example.com")  # still open
        recent = self.closed_report(3, email="recent@example.com")
        self.retention()
        self.assertFalse(old.klusheeren_anonymized)
        self.assertEqual(old.partner_id.email, "bezig@example.com")
        self.assertFalse(recent.klusheeren_anonymized)

    def test_old_and_recent_tickets_of_one_contact(self):
        old = self.closed_report(30, email="twee@example.com")
        recent = self.closed_report(2, email="twee@example.com")
        self.assertEqual(old.partner_id, recent.partner_id)
        self.retention()
        self.assertTrue(old.klusheeren_anonymized)
        self.assertFalse(recent.klusheeren_anonymized)
        self.assertEqual(recent.partner_id.email, "twee@example.com", "the contact stays while a ticket is young")
        recent.closed_date = fields.Datetime.now() - relativedelta(months=25)
        self.retention()
        self.assertFalse(recent.partner_id.with_context(active_test=False).email)

    def test_user_contacts_are_not_retained_here(self):
        ticket = self.closed_report(30, email="mgr@klusheeren.example.com")
        self.assertNotEqual(ticket.partner_id, self.manager.partner_id)
        self.manager.partner_id.klusheeren_reporter_contact = False
        self.retention()
        self.assertEqual(self.manager.partner_id.email, "mgr@klusheeren.example.com")

    def test_export_one_file_and_logged(self):
        ticket = self.report(email="inzage@example.com")
        partner = ticket.partner_id
        ticket.with_user(self.backoffice).message_post(body="Bedankt", message_type="comment")
        ticket.message_post(body="Mijn eigen bericht", author_id=partner.id, message_type="comment")
        action = partner.with_user(self.manager).action_klusheeren_privacy_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        data = json.loads(base64.b64decode(attachment.datas))
        self.assertEqual(data["contact"]["email"], "inzage@example.com")
        self.assertEqual([t["number"] for t in data["tickets"]], [ticket.number])
        self.assertIn("Mijn eigen bericht", [m["text"] for m in data["messages"]])
        self.assertNotIn("Bedankt", [m["text"] for m in data["messages"]], "others' messages are not theirs")
        self.assertEqual([f["name"] for f in data["files"]], ["foto.png"])
        log = self.Log.search([], order="id desc", limit=1)
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.execution_details, self.env._("Personal data exported"))

    def test_erase_now_by_a_manager_only(self):
        ticket = self.report(email="vergeet@example.com")
        partner = ticket.partner_id
        with self.assertRaises(AccessError):
            partner.with_user(self.backoffice).action_klusheeren_privacy_erase()
        with self.assertRaises(AccessError):
            partner.with_user(self.backoffice).action_klusheeren_privacy_export()
        with self.assertRaises(UserError):
            partner.with_user(self.manager).action_klusheeren_privacy_erase()  # open ticket
        self.assertEqual(partner.email, "vergeet@example.com")
        ticket._klusheeren_set_stage("closed", notify=False)
        logs = self.Log.search_count([])
        partner.with_user(self.manager).action_klusheeren_privacy_erase()
        self.assertFalse(partner.email)
        self.assertTrue(ticket.klusheeren_anonymized)
        self.assertEqual(self.Log.search_count([]), logs + 1)
        with self.assertRaises(UserError):
            self.manager.partner_id.with_user(self.manager).action_klusheeren_privacy_erase()

    def test_a_returning_reporter_after_erasure_gets_a_new_contact(self):
        ticket = self.closed_report(30, email="terug@example.com")
        self.retention()
        again = self.report(email="terug@example.com")
        self.assertNotEqual(again.partner_id, ticket.partner_id)
        self.assertEqual(again.partner_id.email, "terug@example.com")
        self.assertLess(ticket.closed_date, fields.Datetime.now() - timedelta(days=600))

    def test_me_too_subscriptions_exported_and_erased(self):
        """The "me too" subscriptions made with the person's address or number (on someone else's
        report, no contact of their own) are in the export and go with the erasure; others' stay."""
        Subscriber = self.env["klusheeren.ticket.subscriber"]
        theirs = self.report(self.equipment_en, email="ikook@example.com", phone="06 12345678")
        partner = theirs.partner_id
        other = self.report(email="ander@example.com")
        by_mail = Subscriber._klusheeren_subscribe(self.equipment, other.id, "IkOok@Example.com")
        Subscriber._klusheeren_subscribe(self.equipment, other.id, phone="0612345678")
        Subscriber._klusheeren_subscribe(self.equipment, other.id, "collega@example.com")
        self.assertEqual(by_mail, other)
        subscribers = Subscriber.with_context(active_test=False).search([("ticket_id", "=", other.id)])
        self.assertEqual(len(subscribers), 3)
        mine = subscribers.filtered(lambda s: s.email == "ikook@example.com" or s.phone)
        self.assertEqual(len(mine), 2)
        mine.filtered("phone").active = False  # stopped
        action = partner.with_user(self.manager).action_klusheeren_privacy_export()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        data = json.loads(base64.b64decode(attachment.datas))
        self.assertEqual([s["report"] for s in data["subscriptions"]], [other.number, other.number])
        self.assertEqual({s["email"] for s in data["subscriptions"]}, {"ikook@example.com", None})
        self.assertEqual([s["active"] for s in data["subscriptions"] if s["phone"]], [False], "stopped ones too")
        self.assertNotIn("collega@example.com", json.dumps(data), "not someone else's")
        log = self.Log.search([], order="id desc", limit=1)
        self.assertRegex(log.records_description, r"\b2\D*$", "the subscriptions counted (last)")
        theirs._klusheeren_set_stage("closed", notify=False)
        partner.with_user(self.manager).action_klusheeren_privacy_erase()
        self.assertFalse(mine.exists(), "erased with the person")
        self.assertEqual(subscribers.exists(), subscribers - mine, "another's subscription stays")
        self.assertTrue(other.exists() and not other.klusheeren_anonymized, "the report they followed stays")
        log = self.Log.search([], order="id desc", limit=1)
        self.assertEqual(log.execution_details, self.env._("Contact anonymised"))
        self.assertRegex(log.records_description, r"\b2\D*$", "the subscriptions counted (last)")

    def test_retention_leaves_me_too_subscriptions_to_their_own_rule(self):
        old = self.closed_report(30, email="oudvolger@example.com")
        other = self.report(email="ander@example.com")
        self.env["klusheeren.ticket.subscriber"]._klusheeren_subscribe(
            self.equipment, other.id, "oudvolger@example.com"
        )
        self.assertEqual(self.retention(), 1)
        self.assertTrue(old.klusheeren_anonymized)
        self.assertEqual(other.klusheeren_subscriber_ids.email, "oudvolger@example.com")
