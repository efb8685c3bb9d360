# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): a portal login around the pages, over JSON-
RPC: transitions, tokens, read-only fields, figures.
"""

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .attack_common import KlusheerenAttackCase


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackRpc(KlusheerenAttackCase):
    def second_contractors_order(self, amount):
        other = self.env["res.partner"].create(
            {
                "name": "Loodgieter Pietersen",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "p@pietersen.example.com",
            }
        )
        order = self.WorkOrder.create(
            {
                "ticket_id": self.ticket.id,
                "contractor_id": other.id,
                "title": "Leiding",
                "equipment_id": self.equipment.id,
            }
        )
        order.action_send()
        order.action_accept()
        order.write({"amount_total": amount})
        order.action_done()
        return order

    def test_10_contractor_cannot_cancel_over_rpc(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "action_cancel", [self.order.ids])
        self.assertEqual(self.order.state, "sent")

    def test_11_contractor_cannot_send_over_rpc(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "action_send", [self.order.ids])

    def test_12_contractor_cannot_accept_over_rpc(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "action_accept", [self.order.ids])

    def test_13_contractor_cannot_refuse_over_rpc(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "action_refuse", [self.order.ids, "x"])

    def test_14_contractor_cannot_hold_resume_or_complete_over_rpc(self):
        self.accepted()
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "action_hold", [self.order.ids, "onderdeel"])
        self.assertRpcRefused("klusheeren.work.order", "action_done", [self.order.ids])
        self.order.sudo().state = "on_hold"
        self.assertRpcRefused("klusheeren.work.order", "action_resume", [self.order.ids])

    def test_15_contractor_cannot_save_around_the_page_over_rpc(self):
        self.accepted()
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "contractor_save", [self.order.ids, {"amount_total": -5}])
        self.assertRpcRefused("klusheeren.work.order", "contractor_post_message", [self.order.ids, "hoi"])

    def test_16_contractor_cannot_write_unlink_create_or_reopen(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "write", [self.order.ids, {"state": "cancelled"}])
        self.assertRpcRefused("klusheeren.work.order", "unlink", [self.order.ids])
        self.assertRpcRefused(
            "klusheeren.work.order",
            "create",
            [{"ticket_id": self.ticket.id, "contractor_id": self.contractor.id, "title": "x"}],
        )
        self.assertRpcRefused("klusheeren.work.order", "action_reopen", [self.order.ids, "x"])

    def test_17_contractor_cannot_post_in_the_chatter_over_rpc(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "message_post", [self.order.ids], {"body": "via rpc"})

    def test_18_customer_user_cannot_touch_work_orders(self):
        self.as_customer()
        self.assertRpcRefused("klusheeren.work.order", "action_cancel", [self.order.ids])
        self.assertRpcRefused("klusheeren.work.order", "read", [self.order.ids, ["name"]])

    def test_19_anonymous_rpc_is_refused(self):
        with self.assertNothingChanges():
            with self.assertRaises(JsonRpcException) as caught:
                self.rpc("klusheeren.work.order", "action_cancel", [self.order.ids])
        self.assertIn("SessionExpired", str(caught.exception))

    def test_20_colleague_cannot_read_ticket_tokens(self):
        self.as_colleague()
        self.assertTrue(self.rpc("helpdesk.ticket", "search_read", [[("id", "=", self.ticket.id)], ["name"]]))
        for method, args, kwargs in (
            ("search_read", [[("id", "=", self.ticket.id)], ["access_token"]], {}),
            ("read", [self.ticket.ids, ["access_token"]], {}),
            ("web_search_read", [[("id", "=", self.ticket.id)], {"access_token": {}}], {}),
            ("search", [[("access_token", "=", self.ticket_token)]], {}),
        ):
            with self.subTest(method=method):
                self.assertRpcRefused("helpdesk.ticket", method, args, kwargs)

    def test_21_contractor_cannot_read_work_order_tokens(self):
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "read", [self.order.ids, ["access_token"]])

    def test_22_no_portal_login_reads_rating_complaint_or_attachment_tokens(self):
        self.as_colleague()
        self.assertRpcRefused("klusheeren.rating", "search_read", [[], ["access_token"]])
        self.assertRpcRefused("klusheeren.complaint", "search_read", [[], ["access_token"]])
        self.assertRpcRefused("rating.rating", "search_read", [[], ["access_token"]])
        self.assertRpcRefused("ir.attachment", "search_read", [[], ["access_token"]])

    def test_24_tokens_have_at_least_128_random_bits(self):
        rating = self.done_rating()
        for record in (self.ticket, self.order, rating):
            with self.subTest(model=record._name):
                token = record.sudo().access_token
                self.assertGreaterEqual(len(token), 43, "32 bytes, URL-safe base64")
        self.assertGreaterEqual(len(self.equipment.sticker_id.token or "x" * 43), 22)

    def test_130_back_office_cannot_write_a_tickets_number_or_token(self):
        self.as_back_office()
        for vals in ({"number": "KH-A-999999"}, {"access_token": "mijn-eigen-token"}):
            with self.subTest(vals=vals):
                self.assertRpcRefused("helpdesk.ticket", "write", [self.ticket.ids, vals])

    def test_131_back_office_cannot_write_a_work_orders_number_or_token(self):
        self.as_back_office()
        for vals in ({"name": "KH-OC-999999"}, {"access_token": "mijn-eigen-token"}):
            with self.subTest(vals=vals):
                self.assertRpcRefused("klusheeren.work.order", "write", [self.order.ids, vals])

    def test_132_back_office_cannot_create_a_ticket_with_a_chosen_token(self):
        self.as_back_office()
        self.assertRpcRefused(
            "helpdesk.ticket",
            "create",
            [{"name": "Met token", "description": "x", "access_token": "bekend-token"}],
        )

    def test_133_portal_logins_cannot_write_read_only_fields(self):
        self.as_contractor()
        for model, record, vals in (
            ("klusheeren.work.order", self.order, {"amount_total": 1}),
            ("klusheeren.work.order", self.order, {"state": "done"}),
            ("helpdesk.ticket", self.ticket, {"stage_id": self.stage("closed").id}),
        ):
            with self.subTest(model=model, vals=vals):
                self.assertRpcRefused(model, "write", [record.ids, vals])

    def test_134_no_one_but_the_back_office_reads_the_rating_scores_raw_or_writes_them(self):
        rating = self.done_rating()
        self.as_back_office()
        self.assertRpcRefused("klusheeren.rating", "write", [rating.ids, {"speed": 5, "state": "rated"}])

    def test_150_contractor_statistics_hold_no_amount_of_another_contractor(self):
        self.accepted()
        self.order.write({"amount_total": 111.0})
        self.order.action_done()
        self.second_contractors_order(98765.0)
        self.env["klusheeren.ticket.report"].action_refresh()
        self.as_contractor()
        with self.assertNothingChanges():
            page = self.url_open("/my/work-orders/statistics")
            self.assertEqual(page.status_code, 200)
            self.assertNotRegex(page.text, r"98[.,]?765")
            with self.assertRaises(JsonRpcException):
                self.rpc("klusheeren.ticket.report", "formatted_read_group", [[], [], ["cost:sum"]])
            with self.assertRaises(JsonRpcException):
                self.rpc("klusheeren.ticket.report", "search_read", [[]], {"fields": ["cost"]})

    def test_151_contractor_reads_no_area_nor_back_office_user(self):
        self.accepted()
        self.env["klusheeren.ticket.report"].action_refresh()
        self.as_contractor()
        for field in ("area_id", "user_id", "team_id"):
            with self.subTest(field=field), self.assertNothingChanges():
                with self.assertRaises(JsonRpcException):
                    self.rpc("klusheeren.ticket.report", "search_read", [[]], {"fields": [field]})
        with self.assertNothingChanges():
            page = self.url_open(self.work_order_url(self.order))
        self.assertNotIn(self.backoffice.name, page.text)
        self.assertNotIn(self.backoffice.email, page.text)
