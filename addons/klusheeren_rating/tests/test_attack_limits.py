# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): no action without limit: complaints, rate
limits of every page and address.
"""

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.klusheeren_portal.tests.common import XSS

from .attack_common import KlusheerenAttackCase


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackLimits(KlusheerenAttackCase):
    def limit_actions(self, per_link=1000, per_address=1000):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.action_limit_per_link", per_link)
        ICP.set_param("klusheeren_portal.action_limit_per_address", per_address)

    def test_40_one_open_complaint_per_work_order(self):
        self.complain()
        self.assertEqual(len(self.ticket.complaint_ids), 1)
        with self.assertNothingChanges():
            response = self.complain(description="Nog eens")
        self.assertIn("is being handled", response.text)

    def test_41_at_most_three_complaints_a_day_per_ticket(self):
        for i in range(3):
            self.complain(description=f"Klacht {i}")
            self.ticket.complaint_ids.filtered("is_open").write({"state": "rejected"})
        with self.assertNothingChanges():
            response = self.complain(description="Vierde")
        self.assertIn("Too many complaints", response.text)

    def test_43_complaint_with_a_wrong_token_reveals_nothing(self):
        self.authenticate(None, None)
        with self.assertNothingChanges():
            response = self.complain(token="x" * 43)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Koelkast", response.text)

    def test_44_reporter_text_in_back_office_activities_is_escaped(self):
        self.complain(description=XSS)
        activity = self.ticket.complaint_ids.activity_ids
        self.assertTrue(activity)
        self.assertIn("&lt;script&gt;", str(activity.note))
        self.assertNotIn("<script>", str(activity.note))

    def test_75_spoofed_forwarded_for_does_not_escape_the_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("klusheeren_portal.rate_limit_per_address", 1)
        self.assertEqual(self.post_report().status_code, 200)
        with self.assertNothingChanges():
            url = self.qr_url()
            response = self.url_open(
                url,
                data={
                    "description": "nog een",
                    "email": "x@example.com",
                    "csrf_token": self.csrf(url),
                    "idempotency_key": "test-75-spoofed-forwarded-for",
                },
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
        self.assertEqual(response.status_code, 429)

    def test_120_contractor_page_actions_are_limited(self):
        self.accepted()
        self.limit_actions(per_link=2)
        for i in range(2):
            self.post_work_order(self.order, "message", body=f"bericht {i}")
        with self.assertNothingChanges():
            response = self.post_work_order(self.order, "message", body="nog een")
            self.assertEqual(response.status_code, 429)

    def test_121_rating_posts_are_limited(self):
        rating = self.done_rating()
        token = rating.sudo().access_token
        self.limit_actions(per_link=1)
        data = {"speed": 9, "communication": 4, "quality": 4, "solved": "yes", "access_token": token}
        self.url_open(f"/klusheeren/rating/{rating.id}", data={**data, "csrf_token": self.csrf("/web/login")})
        with self.assertNothingChanges():
            response = self.url_open(
                f"/klusheeren/rating/{rating.id}", data={**data, "speed": 4, "csrf_token": self.csrf("/web/login")}
            )
            self.assertEqual(response.status_code, 429)

    def test_122_reporter_complaints_are_limited(self):
        self.limit_actions(per_link=1)
        self.complain(reason="onbekend")  # refused, but counted
        with self.assertNothingChanges():
            self.assertEqual(self.complain().status_code, 429)

    def test_123_reporter_comments_are_limited(self):
        self.limit_actions(per_link=1)
        post = {
            "thread_model": "helpdesk.ticket",
            "thread_id": self.ticket.id,
            "post_data": {"body": "eerste"},
            "token": self.ticket_token,
        }
        before = len(self.ticket.message_ids)
        self.make_jsonrpc_request("/mail/message/post", post)
        self.env.invalidate_all()
        self.assertEqual(len(self.ticket.message_ids), before + 1, "the first comment goes through")
        with self.assertNothingChanges():
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request("/mail/message/post", {**post, "post_data": {"body": "tweede"}})

    def test_124_portal_requests_are_limited(self):
        self.as_customer()
        self.limit_actions(per_link=1)
        data = {"subject": "Lamp", "description": "kapot", "site": str(self.site.id)}

        def send():  # each time a freshly loaded form: a new submission, not a repeat
            csrf_token, key = self.form_tokens("/new/ticket")
            return self.url_open("/submitted/ticket", data={**data, "csrf_token": csrf_token, "idempotency_key": key})

        send()
        with self.assertNothingChanges():
            self.assertEqual(send().status_code, 429)

    def test_125_contractor_complaint_answers_are_limited(self):
        complaint, token = self.filed_complaint()
        self.limit_actions(per_link=1)
        url = f"/klusheeren/complaint/{complaint.id}"
        self.url_open(url, data={"feedback": "", "access_token": token, "csrf_token": self.csrf("/web/login")})
        with self.assertNothingChanges():
            response = self.url_open(
                url, data={"feedback": "Wij komen terug", "access_token": token, "csrf_token": self.csrf("/web/login")}
            )
            self.assertEqual(response.status_code, 429)

    def test_126_one_address_is_limited_across_links(self):
        self.limit_actions(per_address=2)
        self.accepted()
        self.other_order.action_accept()
        self.post_work_order(self.order, "message", body="een")
        self.post_work_order(self.other_order, "message", body="twee")
        with self.assertNothingChanges():
            self.assertEqual(self.post_work_order(self.order, "message", body="drie").status_code, 429)
