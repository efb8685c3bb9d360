"""The "Accept" and "Refuse…" links of the work order e-mails (issue 25): one order, one action,
the current token and state; anything else opens nothing."""

import re
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import UserError

from .common import KlusheerenHelpdeskCase

LINK_RE = re.compile(r'href="([^"]*/my/work-orders/(\d+)/mail/(accept|refuse)\?signature=([0-9a-f]+))"')


class TestMailActionLinks(KlusheerenHelpdeskCase):
    def setUp(self):
        super().setUp()
        self.order = self.report().work_order_ids
        self.Order = self.WorkOrder.with_user(self.env.ref("base.public_user"))

    def links(self, mail):
        return {
            action: (int(order_id), signature) for _url, order_id, action, signature in LINK_RE.findall(mail.body_html)
        }

    def opens(self, order_id, action, signature):
        return self.Order._klusheeren_from_action_link(order_id, action, signature)

    def test_work_order_mail_carries_both_buttons(self):
        self.send_pending()
        mail = self.mails(model="klusheeren.work.order", res_id=self.order.id)[-1]
        links = self.links(mail)
        self.assertEqual(set(links), {"accept", "refuse"})
        self.assertIn("Weigeren…", mail.body_html, "Dutch for the Dutch contractor")
        self.assertIn(">Accepteren<", mail.body_html)
        for action, (order_id, signature) in links.items():
            self.assertEqual(self.opens(order_id, action, signature), self.order)
        self.assertNotIn(self.order.sudo().access_token, mail.body_html.split("/mail/", 1)[1].split('"')[0])

    def test_reminder_carries_both_buttons(self):
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_reminder")
        en = self.report(self.equipment_en).work_order_ids
        en.sudo().mail_pending = False
        en._klusheeren_send_reminder(template)
        mail = self.mails(model="klusheeren.work.order", res_id=en.id)[-1]
        self.assertEqual(set(self.links(mail)), {"accept", "refuse"})
        self.assertIn("Refuse…", mail.body_html)
        # an accepted order's reminder (never sent, but rendered alike) has no buttons
        en.action_accept()
        en._klusheeren_send_reminder(template)
        self.assertFalse(self.links(self.mails(model="klusheeren.work.order", res_id=en.id)[-1]))

    def test_a_link_is_bound_to_order_action_token_and_state(self):
        url = self.order._klusheeren_action_url("accept")
        signature = parse_qs(urlsplit(url).query)["signature"][0]
        self.assertEqual(self.opens(self.order.id, "accept", signature), self.order)
        self.assertFalse(self.opens(self.order.id, "refuse", signature), "another action")
        other = self.report(self.equipment_en).work_order_ids
        self.assertFalse(self.opens(other.id, "accept", signature), "another order")
        self.assertFalse(self.opens(self.order.id, "accept", signature[:-1] + ("0" if signature[-1] != "0" else "1")))
        for junk in (None, "", 12, ["x"], "x" * 500):
            self.assertFalse(self.opens(self.order.id, "accept", junk), repr(junk))
        for junk_id in (None, "1", True, -1, 2**40, 0):
            self.assertFalse(self.opens(junk_id, "accept", signature), repr(junk_id))
        self.assertFalse(self.opens(self.order.id, "delete", signature))
        # the token rotates (another contractor): the link opens nothing
        self.order.sudo()._klusheeren_rotate_token()
        self.assertFalse(self.opens(self.order.id, "accept", signature))

    def test_a_link_stops_working_once_used_or_moved_on(self):
        accept = parse_qs(urlsplit(self.order._klusheeren_action_url("accept")).query)["signature"][0]
        refuse = parse_qs(urlsplit(self.order._klusheeren_action_url("refuse")).query)["signature"][0]
        done = self.Order._klusheeren_mail_action(self.order.id, "accept", accept)
        self.assertEqual(done, self.order)
        self.assertEqual(self.order.state, "accepted")
        self.assertFalse(self.Order._klusheeren_mail_action(self.order.id, "accept", accept), "used")
        self.assertFalse(self.Order._klusheeren_mail_action(self.order.id, "refuse", refuse, reason="x"), "moved on")
        self.assertEqual(self.order.state, "accepted")

    def test_refusal_needs_a_reason(self):
        refuse = parse_qs(urlsplit(self.order._klusheeren_action_url("refuse")).query)["signature"][0]
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.Order._klusheeren_mail_action(self.order.id, "refuse", refuse, reason="  ")
        self.assertEqual(self.order.state, "sent")
        self.Order._klusheeren_mail_action(self.order.id, "refuse", refuse, reason="Geen monteur vrij.")
        self.assertEqual((self.order.state, self.order.refuse_reason), ("refused", "Geen monteur vrij."))
