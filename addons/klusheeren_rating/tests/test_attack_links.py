# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): token links: one answer for "not found" and
"not allowed", and a link ends with its purpose.
"""

import re

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .attack_common import KlusheerenAttackCase


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackLinks(KlusheerenAttackCase):
    def test_50_reassigned_order_locks_out_the_first_contractor(self):
        old = self.order_token
        self.order.with_user(self.backoffice).contractor_id = self.contractor_en
        self.order.with_user(self.backoffice).action_send()
        self.assertNotEqual(self.order.access_token, old)
        with self.assertNothingChanges():
            for suffix in ("", "/pdf", f"/file/{self.order._contractor_attachments()[:1].id}"):
                with self.subTest(suffix=suffix):
                    response = self.url_open(self.work_order_url(self.order, token=old, suffix=suffix))
                    self.assertEqual(response.status_code, 403)
                    self.assertNotIn("douwe@example.com", response.text)
            self.post_work_order(self.order, "accept", token=old)
        self.assertEqual(self.order.state, "sent")
        self.assertEqual(self.url_open(self.work_order_url(self.order)).status_code, 200, "the new link works")

    def test_51_refused_order_shows_nothing_and_takes_no_action(self):
        self.post_work_order(self.order, "refuse", reason="Geen tijd")
        self.assertEqual(self.order.state, "refused")
        page = self.url_open(self.work_order_url(self.order))
        self.assertIn("o_klusheeren_closed", page.text)
        for private in ("douwe@example.com", "melder@example.com", "088-5550555", "Laan van Kronenburg"):
            self.assertNotIn(private, page.text)
        with self.assertNothingChanges():
            self.post_work_order(self.order, "accept")
            self.post_work_order(self.order, "save", contractor_remarks="toch", amount_total="10")
            self.post_work_order(self.order, "message", body="hallo")
            self.assertEqual(self.url_open(self.work_order_url(self.order, suffix="/pdf")).status_code, 403)

    def test_52_cancelled_order_link_is_dead(self):
        self.order.with_user(self.backoffice).action_cancel()
        with self.assertNothingChanges():
            response = self.url_open(self.work_order_url(self.order, token=self.order_token))
            self.assertEqual(response.status_code, 403)
            self.post_work_order(self.order, "accept", token=self.order_token)

    def test_53_contractor_login_reads_no_refused_order(self):
        self.order.action_refuse("Geen tijd")
        self.as_contractor()
        self.assertRpcRefused("klusheeren.work.order", "read", [self.order.ids, ["reporter_id"]])

    def test_80_unknown_and_forbidden_answer_alike(self):
        with self.assertNothingChanges():
            unknown = self.url_open(f"/my/work-orders/{self.other_order.id + 10000}?access_token={self.order_token}")
            forbidden = self.url_open(f"/my/work-orders/{self.other_order.id}?access_token={self.order_token}")
        self.assertEqual(unknown.status_code, forbidden.status_code)

        def main(response):
            return re.search(r"<main[^>]*>(.*)</main>", response.text, re.S).group(1)

        self.assertEqual(main(unknown), main(forbidden), "the same page, word for word")
        self.assertNotIn(self.other_order.name, forbidden.text)

    def test_81_token_pages_cannot_be_framed_nor_leak_their_url(self):
        self.complain()
        urls = [
            self.qr_url(),
            self.work_order_url(self.order),
            f"/my/ticket/{self.ticket.id}?access_token={self.ticket_token}",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers.get("X-Frame-Options"), "DENY")
                self.assertIn("frame-ancestors 'none'", response.headers.get("Content-Security-Policy", ""))
                self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer")

    def test_82_one_orders_token_opens_no_other(self):
        with self.assertNothingChanges():
            response = self.post_work_order(self.other_order, "accept", token=self.order_token)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.other_order.state, "sent")

    def test_83_ticket_page_with_a_wrong_token_shows_nothing(self):
        with self.assertNothingChanges():
            # (possibly by way of the page's URL in the visitor's language)
            response = self.url_open(f"/my/ticket/{self.ticket.id}?access_token={self.order_token}")
        # a page that explains the link opens nothing, and shows nothing of the ticket
        self.assertEqual(response.status_code, 404)
        self.assertIn("o_klusheeren_ticket_denied", response.text)
        self.assertNotIn("Koelkast", response.text)
        self.assertNotIn(self.ticket.number, response.text)

    def test_84_helpdesk_close_route_checks_access(self):
        other_company_user_ticket = self.other_ticket
        stage = self.env["helpdesk.ticket.stage"].search([("close_from_portal", "=", True)], limit=1) or self.env[
            "helpdesk.ticket.stage"
        ].search([("closed", "=", True)], limit=1)
        stage.close_from_portal = True
        self.as_colleague()
        with self.assertNothingChanges():
            for method in ("GET", "POST"):
                data = {"ticket_id": other_company_user_ticket.id, "stage_id": stage.id}
                if method == "POST":
                    data["csrf_token"] = self.csrf("/web/login")
                    self.url_open("/ticket/close", data=data, allow_redirects=False)
                else:
                    self.url_open(
                        f"/ticket/close?ticket_id={data['ticket_id']}&stage_id={stage.id}", allow_redirects=False
                    )
            self.url_open(
                "/ticket/close", data={"ticket_id": "abc", "csrf_token": self.csrf("/web/login")}, allow_redirects=False
            )

    def test_86_rating_and_complaint_pages_refuse_wrong_tokens(self):
        rating = self.done_rating()
        with self.assertNothingChanges():
            for url in (
                f"/klusheeren/rating/{rating.id}?access_token={self.ticket_token}",
                f"/klusheeren/rating/{rating.id}?access_token=",
                f"/klusheeren/rating/{rating.id}",
            ):
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 404)
            response = self.url_open(
                f"/klusheeren/rating/{rating.id}",
                data={
                    "access_token": self.order_token,
                    "speed": 1,
                    "communication": 1,
                    "quality": 1,
                    "solved": "no",
                    "csrf_token": self.csrf("/web/login"),
                },
            )
            self.assertEqual(response.status_code, 404)

    def test_87_stickers_not_found_reveal_nothing(self):
        # ("..%2F" paths never reach this route: Odoo website answers them itself, see SECURITY.md)
        for token in ("x" * 32, "%00", "a" * 5000, "%27%20OR%201%3D1--", "%00" * 22):
            with self.subTest(token=token[:10]), self.assertNothingChanges():
                self.assertEqual(self.url_open(f"/qr/{token}").status_code, 404)

    def test_89_reporters_link_does_not_reach_other_tickets(self):
        with self.assertNothingChanges():
            response = self.url_open(f"/my/ticket/{self.other_ticket.id}?access_token={self.ticket_token}")
            self.assertEqual(response.status_code, 404)
            self.assertIn("o_klusheeren_ticket_denied", response.text)
            self.assertNotIn(self.other_ticket.number, response.text)
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": "helpdesk.ticket",
                        "thread_id": self.other_ticket.id,
                        "post_data": {"body": "ander ticket"},
                        "token": self.ticket_token,
                    },
                )

    def test_140_a_done_order_takes_no_change(self):
        self.accepted()
        self.post_work_order(self.order, "done", amount_total="100", warranty="no")
        self.env.invalidate_all()
        if self.order.state != "done":
            self.order.action_done()
        with self.assertNothingChanges():
            for action, fields in (
                ("save", {"amount_total": "1", "contractor_remarks": "later"}),
                ("hold", {"hold_reason": "onderdelen"}),
                ("accept", {}),
                ("refuse", {"reason": "toch niet"}),
            ):
                with self.subTest(action=action):
                    self.post_work_order(self.order, action, **fields)
        self.assertEqual(self.order.state, "done")

    def test_141_a_finance_like_reader_changes_nothing_through_the_contractor_page(self):
        """An internal user who may only read work orders changes nothing through the page,
        with or without a made-up token."""
        reader = self.env["res.users"].create(
            {
                "name": "Lezer",
                "login": "kh_lezer",
                "password": "kh_lezer_pw1",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        self.env["ir.model.access"].create(
            {
                "name": "lezer",
                "model_id": self.env.ref("klusheeren_helpdesk.model_klusheeren_work_order").id,
                "group_id": self.env.ref("base.group_user").id,
                "perm_read": True,
            }
        )
        self.accepted()
        self.assertTrue(self.order.with_user(reader).has_access("read"))
        self.authenticate("kh_lezer", "kh_lezer_pw1")
        with self.assertNothingChanges():
            for token in ("", "verzonnen"):
                with self.subTest(token=token):
                    response = self.post_work_order(self.order, "save", token=token, amount_total="1")
                    self.assertEqual(response.status_code, 403)

    def test_142_a_resolved_rating_link_cannot_rate_twice_after_erasure_of_the_token(self):
        rating = self.done_rating()
        old = rating.sudo().access_token
        rating.sudo()._klusheeren_rotate_token()
        with self.assertNothingChanges():
            response = self.url_open(
                f"/klusheeren/rating/{rating.id}",
                data={
                    "speed": 1,
                    "communication": 1,
                    "quality": 1,
                    "solved": "no",
                    "access_token": old,
                    "csrf_token": self.csrf("/web/login"),
                },
            )
            self.assertEqual(response.status_code, 404)
