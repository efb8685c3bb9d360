# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): bounds of every public input: states,
amounts, dates, lengths, addresses, header injection.
"""

import re

from odoo.tests import tagged

from .attack_common import KlusheerenAttackCase


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackInputs(KlusheerenAttackCase):
    INJECTED = "Eva\r\nBcc: slachtoffer@evil.example\nX-Kop: ja\x00\x1b\u2028"

    def assertOneLine(self, *values):
        for value in values:
            self.assertFalse(re.search(r"[\x00-\x1f\x7f\u2028\u2029]", value or ""), repr(value))

    def test_60_a_sent_order_cannot_be_planned(self):
        with self.assertNothingChanges():
            self.post_work_order(self.order, "save", appointment_date="2027-01-15T10:00")
        self.assertFalse(self.order.appointment_date)
        self.assertNotEqual(self.ticket.stage_id, self.stage("appointment"))

    def test_70_amounts_out_of_bounds(self):
        self.accepted()
        for amount in ("nan", "inf", "-inf", "-1", "1e12", "12,34,56", "abc", "1" * 400):
            with self.subTest(amount=amount), self.assertNothingChanges():
                response = self.post_work_order(self.order, "save", amount_total=amount)
                self.assertIn("o_klusheeren_error", response.text)

    def test_70a_lines_out_of_bounds(self):
        """Materials typed on the page: NaN, infinity, negative, huge, too many, another order's
        line, an article outside the catalogue; and nothing once the order is done."""
        self.accepted()
        self.other_order.action_accept()
        self.other_order.sudo().contractor_save({"lines": [{"name": "Van een ander", "price_unit": 5}]})
        other_line = self.other_order.line_ids
        secret = self.env["product.product"].create({"name": "Niet voor contractpartners"})
        cases = {
            "NaN price": {"line-0-name": "x", "line-0-price_unit": "nan"},
            "infinite price": {"line-0-name": "x", "line-0-price_unit": "inf"},
            "negative price": {"line-0-name": "x", "line-0-price_unit": "-1"},
            "huge price": {"line-0-name": "x", "line-0-price_unit": "1e12"},
            "NaN quantity": {"line-0-name": "x", "line-0-price_unit": "1", "line-0-quantity": "nan"},
            "huge quantity": {"line-0-name": "x", "line-0-price_unit": "1", "line-0-quantity": "1e9"},
            "negative quantity": {"line-0-name": "x", "line-0-price_unit": "1", "line-0-quantity": "-3"},
            "too many lines": {
                f"line-{i}-{k}": v for i in range(51) for k, v in (("name", f"x{i}"), ("price_unit", "1"))
            },
            "another order's line": {
                "line-0-id": str(other_line.id),
                "line-0-name": "overgenomen",
                "line-0-price_unit": "0",
            },
            "a line id that is no number": {"line-0-id": "1 OR 1=1", "line-0-name": "x", "line-0-price_unit": "1"},
            "article outside the catalogue": {"line-0-product_id": str(secret.id), "line-0-price_unit": "1"},
            "unknown type": {"line-0-name": "x", "line-0-price_unit": "1", "line-0-line_type": "bonus"},
            "description too long": {"line-0-name": "x" * 201, "line-0-price_unit": "1"},
        }
        for case, fields in cases.items():
            with self.subTest(case=case), self.assertNothingChanges():
                response = self.post_work_order(self.order, "save", **fields)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_klusheeren_error", response.text)
        self.assertEqual(other_line.name, "Van een ander")
        # the same lines over JSON-RPC, around the page: refused before any check of the values
        self.as_contractor()
        self.assertRpcRefused(
            "klusheeren.work.order",
            "contractor_save",
            [self.order.ids, {"lines": [{"id": other_line.id, "name": "x", "price_unit": 0}]}],
        )
        self.assertRpcRefused("klusheeren.work.order.line", "write", [other_line.ids, {"price_unit": 0}])
        self.assertRpcRefused(
            "klusheeren.work.order.line", "create", [{"work_order_id": self.order.id, "name": "x", "price_unit": 1}]
        )

    def test_70b_no_lines_on_a_done_or_sent_order(self):
        self.post_work_order(self.order, "save", **{"line-0-name": "x", "line-0-price_unit": "1"})
        self.assertFalse(self.order.line_ids, "a sent order takes no lines")
        self.accepted()
        self.post_work_order(self.order, "done", **{"line-0-name": "Onderdeel", "line-0-price_unit": "10"})
        self.assertEqual(self.order.state, "done")
        line = self.order.line_ids
        for fields in (
            {"line-0-id": str(line.id), "line-0-name": "Onderdeel", "line-0-price_unit": "1000"},
            {"line-0-id": str(line.id), "line-0-name": "Onderdeel", "line-0-price_unit": "10", "line-0-remove": "1"},
            {
                "line-0-id": str(line.id),
                "line-0-name": "Onderdeel",
                "line-0-price_unit": "10",
                "line-1-name": "Extra",
                "line-1-price_unit": "50",
            },
        ):
            with self.subTest(fields=fields), self.assertNothingChanges():
                response = self.post_work_order(self.order, "save", **fields)
                self.assertIn("o_klusheeren_error", response.text)

    def test_71_dates_far_away_or_impossible(self):
        self.accepted()
        for raw in (
            "2027-02-30T10:00",
            "9999-12-31T23:59",
            "1900-01-01T00:00",
            "0001-01-01T00:00",
            "morgen",
            "2027-13-01T10:00",
        ):
            with self.subTest(date=raw), self.assertNothingChanges():
                response = self.post_work_order(self.order, "save", appointment_date=raw)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_klusheeren_error", response.text)

    def test_72_texts_too_long(self):
        self.accepted()
        for field, size in (("contractor_remarks", 5001), ("contractor_reference", 65)):
            with self.subTest(field=field), self.assertNothingChanges():
                self.post_work_order(self.order, "save", **{field: "x" * size})
        with self.assertNothingChanges():
            response = self.post_report(description="x" * 5001)
        self.assertEqual(response.status_code, 400)

    def test_76_post_without_csrf_changes_nothing(self):
        self.accepted()
        with self.assertNothingChanges():
            response = self.post_work_order(self.order, "done", csrf=False)
            self.assertEqual(response.status_code, 400)
            response = self.post_report(csrf=False)
            self.assertEqual(response.status_code, 400)

    def test_100_report_name_with_line_breaks_is_stored_on_one_line(self):
        self.post_report(name=self.INJECTED, email="eva@example.com")
        ticket = self.Ticket.search([("partner_email", "=", "eva@example.com")])
        self.assertEqual(len(ticket), 1)
        self.assertOneLine(ticket.partner_name, ticket.partner_id.name, ticket.name)
        self.assertIn("Bcc: slachtoffer@evil.example", ticket.partner_name, "kept as text, on one line")

    def test_101_report_email_carrying_a_header_is_refused(self):
        for email in (
            "eva@example.com\r\nBcc: x@evil.example",
            "eva@example.com\nCc: x@evil.example",
            "eva@exa\x00mple.com",
        ):
            with self.subTest(email=email), self.assertNothingChanges():
                self.assertEqual(self.post_report(email=email).status_code, 400)

    def test_102_portal_request_subject_with_line_breaks_is_stored_on_one_line(self):
        self.as_customer()
        csrf_token, key = self.form_tokens("/new/ticket")
        self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Lek\r\nBcc: x@evil.example",
                "description": "water",
                "site": str(self.site.id),
                "csrf_token": csrf_token,
                "idempotency_key": key,
            },
        )
        ticket = self.Ticket.search([("name", "like", "Lek%Bcc")])
        self.assertEqual(len(ticket), 1)
        self.assertOneLine(ticket.name)

    def test_103_names_written_over_json_rpc_are_stored_on_one_line(self):
        self.as_back_office()
        self.rpc(
            "helpdesk.ticket",
            "write",
            [self.ticket.ids, {"name": "Onderwerp\r\nBcc: x@evil.example", "partner_name": self.INJECTED}],
        )
        self.rpc("klusheeren.work.order", "write", [self.order.ids, {"title": "Titel\nBcc: x@evil.example"}])
        self.env.invalidate_all()
        self.assertOneLine(self.ticket.name, self.ticket.partner_name, self.order.title)
        self.assertIn("Bcc", self.ticket.name)

    def test_104_mail_in_with_encoded_line_breaks_is_stored_on_one_line(self):
        raw = (
            "From: =?utf-8?q?Mallory=09=1B=E2=80=A8Bcc=3A_x=40evil=2Eexample?= <mallory@example.com>\r\n"
            "To: storingen@example.com\r\n"
            "Subject: =?utf-8?q?Lift=0D=0ABcc=3A_x=40evil=2Eexample?=\r\n"
            "Message-ID: <kh-attack-104@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nDe lift hangt.\r\n"
        )
        team = self.env.ref("klusheeren_helpdesk.team_storingen")
        ticket = self.Ticket.browse(
            self.env["mail.thread"].message_process("helpdesk.ticket", raw, custom_values={"team_id": team.id})
        )
        self.assertTrue(ticket)
        self.assertOneLine(ticket.name, ticket.partner_name, ticket.partner_id.name)

    def test_105_contractor_reference_with_line_breaks_is_stored_on_one_line(self):
        self.accepted()
        self.post_work_order(self.order, "save", contractor_reference="REF-1\r\nBcc: x@evil.example")
        self.env.invalidate_all()
        self.assertTrue(self.order.contractor_reference)
        self.assertOneLine(self.order.contractor_reference)

    def test_110_an_email_address_longer_than_254_is_refused(self):
        email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
        self.assertGreater(len(email), 254)
        with self.assertNothingChanges():
            self.assertEqual(self.post_report(email=email).status_code, 400)

    def test_111_addresses_that_are_not_rfc_5322_are_refused(self):
        for email in (
            "a..b@example.com",
            "a b@example.com",
            "a@b",
            "<script>@example.com",
            "a@-example.com",
            "x" * 65 + "@example.com",
        ):
            with self.subTest(email=email), self.assertNothingChanges():
                self.assertEqual(self.post_report(email=email).status_code, 400)

    def test_112_a_phone_that_is_no_number_is_refused(self):
        for phone in ("bel me maar", "06<script>", "=cmd|' /C calc'!A0"):
            with self.subTest(phone=phone), self.assertNothingChanges():
                self.assertEqual(self.post_report(phone=phone).status_code, 400)

    def test_113_rating_values_out_of_bounds_are_refused(self):
        rating = self.done_rating()
        token = rating.sudo().access_token
        good = {"speed": 4, "communication": 4, "quality": 4, "solved": "yes", "comment": ""}
        for case in (
            {"speed": 6},
            {"quality": -1},
            {"communication": "x"},
            {"solved": "misschien"},
            {"comment": "c" * 5001},
        ):
            with self.subTest(case=case), self.assertNothingChanges():
                response = self.url_open(
                    f"/klusheeren/rating/{rating.id}",
                    data={**good, **case, "access_token": token, "csrf_token": self.csrf("/web/login")},
                )
                self.assertEqual(response.status_code, 400)

    def test_114_portal_request_out_of_bounds_is_refused(self):
        self.as_customer()
        for data in (
            {"subject": "s" * 201, "description": "d"},
            {"subject": "", "description": "d"},
            {"subject": "s", "description": "d" * 20001},
        ):
            with self.subTest(subject=len(data["subject"])), self.assertNothingChanges():
                response = self.url_open(
                    "/submitted/ticket",
                    data={**data, "site": str(self.site.id), "csrf_token": self.csrf("/new/ticket")},
                )
                self.assertEqual(response.status_code, 400)

    def test_115_complaint_out_of_bounds_is_refused(self):
        for data in ({"reason": "onbekend"}, {"description": ""}, {"description": "d" * 20001}):
            with self.subTest(data=str(data)[:30]), self.assertNothingChanges():
                self.complain(**data)

    def test_116_contractor_feedback_out_of_bounds_is_refused(self):
        complaint, token = self.filed_complaint()
        for feedback in ("", "f" * 20001):
            with self.subTest(length=len(feedback)), self.assertNothingChanges():
                response = self.url_open(
                    f"/klusheeren/complaint/{complaint.id}",
                    data={"feedback": feedback, "access_token": token, "csrf_token": self.csrf("/web/login")},
                )
                self.assertIn(response.status_code, (400, 404))
