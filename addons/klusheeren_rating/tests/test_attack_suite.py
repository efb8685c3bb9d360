# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md): what a stranger, a reporter, a contractor, a colleague
of the customer company and a portal login try with the demo and nothing more than a sticker,
a link or a login. Every case is a real HTTP or JSON-RPC request against the running test
server; each asserts the refusal *and* that the database did not change: no record created,
no field written, no e-mail queued.
"""

import re
import struct
import zlib

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin
from odoo.addons.klusheeren_portal.tests.common import PNG, XSS, KlusheerenPortalCase

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_header(width, height):
    """A valid PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb
    when decoded; the policy must refuse it from the header alone)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


# What "the database did not change" means: klusheeren_helpdesk's tables (the shared helper) and
# the ratings' and complaints' of this addon.
FINGERPRINT_SQL = {
    **HELPDESK_FINGERPRINT_SQL,
    "complaints": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, contractor_feedback),
                         ',' ORDER BY id)) FROM klusheeren_complaint""",
    "ratings": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, speed, communication,
                         quality, solved, comment, access_token), ',' ORDER BY id)) FROM klusheeren_rating""",
}


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackSuite(AttackMixin, KlusheerenPortalCase):
    FINGERPRINT_SQL = FINGERPRINT_SQL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bo_partner = cls.backoffice.partner_id
        cls.bo_partner.phone = "020-1111111"
        cls.ticket = cls.new_report(email="melder@example.com")
        cls.order = cls.ticket.work_order_ids
        cls.ticket_token = cls.ticket._portal_ensure_token()
        cls.order_token = cls.order.access_token
        cls.other_ticket = cls.new_report(cls.other_equipment, email="ander@example.com")
        cls.other_order = cls.other_ticket.work_order_ids
        cls.contractor_user.write({"password": "kh_jansen_pw1"})

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def as_contractor(self):
        self.authenticate("kh_jansen", "kh_jansen_pw1")

    def as_colleague(self):
        self.authenticate("kh_collega", "kh_collega_pw1")

    def upload(self, thread_model, thread_id, name, data, **params):
        csrf = self.csrf("/web/login")
        return self.url_open(
            "/mail/attachment/upload",
            data={"thread_model": thread_model, "thread_id": thread_id, "csrf_token": csrf, **params},
            files={"ufile": (name, data, "application/octet-stream")},
        )

    def accepted(self):
        self.order.action_accept()
        return self.order

    # ------------------------------------------------------------------
    # 1. a stranger takes over a contact by typing its e-mail
    # ------------------------------------------------------------------
    def _report_as(self, email, phone="06-99999999"):
        response = self.post_report(email=email, phone=phone, name="Indringer")
        self.assertEqual(response.status_code, 200)
        return self.Ticket.search([], order="id desc", limit=1)

    def test_01_report_with_a_back_office_users_email_binds_nothing(self):
        # the team's leader follows unrouted tickets (its "Route ticket" activity): not this user here
        self.team.user_id = self.manager
        ticket = self._report_as(self.backoffice.email)
        self.assertNotEqual(ticket.partner_id, self.bo_partner)
        self.assertTrue(ticket.partner_id.klusheeren_reporter_contact)
        self.assertEqual(self.bo_partner.phone, "020-1111111", "the typed phone is not written")
        self.assertEqual(self.bo_partner.name, self.backoffice.name)
        self.assertNotIn(self.bo_partner, ticket.message_partner_ids)

    def test_02_report_with_a_contractors_email_binds_nothing(self):
        ticket = self._report_as(self.contractor.email)
        self.assertNotEqual(ticket.partner_id, self.contractor)
        self.assertFalse(self.contractor.phone)

    def test_03_report_with_a_portal_users_email_binds_nothing(self):
        ticket = self._report_as(self.colleague.partner_id.email or "kh_collega@example.com")
        self.assertNotEqual(ticket.partner_id, self.colleague.partner_id)
        self.assertNotEqual(ticket.partner_id.commercial_partner_id, self.customer)

    def test_04_report_with_a_company_email_binds_nothing(self):
        self.customer.email = "info@klant-een.example.com"
        ticket = self._report_as("INFO@klant-een.example.com")
        self.assertNotEqual(ticket.partner_id, self.customer)
        self.assertFalse(ticket.partner_id.is_company)

    def test_05_returning_reporter_reuses_its_own_contact_unchanged(self):
        first = self._report_as("terug@example.com", phone="06-11111111")
        second = self._report_as("Terug@Example.com", phone="06-22222222")
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(second.partner_id.phone, "06-11111111", "a later report writes nothing on it")
        self.assertEqual(second.partner_phone, "06-22222222", "the report's phone is on the ticket")

    # ------------------------------------------------------------------
    # 2. a contractor's portal login over JSON-RPC
    # ------------------------------------------------------------------
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
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.assertRpcRefused("klusheeren.work.order", "action_cancel", [self.order.ids])
        self.assertRpcRefused("klusheeren.work.order", "read", [self.order.ids, ["name"]])

    def test_19_anonymous_rpc_is_refused(self):
        with self.assertNothingChanges():
            with self.assertRaises(JsonRpcException) as caught:
                self.rpc("klusheeren.work.order", "action_cancel", [self.order.ids])
        self.assertIn("SessionExpired", str(caught.exception))

    # ------------------------------------------------------------------
    # 3. tokens are not harvested by a portal login
    # ------------------------------------------------------------------
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

    def test_23_colleague_without_the_link_cannot_complain(self):
        self.as_colleague()
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200, "a colleague reads the company's ticket")
        self.assertNotIn("kh_complaint_form", page.text, "but is not offered the reporter's role")
        with self.assertNothingChanges():
            response = self.url_open(
                f"/my/ticket/{self.ticket.id}/complaint",
                data={"reason": "other", "description": "namens een ander", "csrf_token": self.csrf("/web/login")},
            )
        self.assertEqual(response.status_code, 404)

    def test_24_tokens_have_at_least_128_random_bits(self):
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
        for record in (self.ticket, self.order, rating):
            with self.subTest(model=record._name):
                token = record.sudo().access_token
                self.assertGreaterEqual(len(token), 43, "32 bytes, URL-safe base64")
        self.assertGreaterEqual(len(self.equipment.sticker_id.token or "x" * 43), 22)

    # ------------------------------------------------------------------
    # 4. files through Odoo's generic upload route
    # ------------------------------------------------------------------
    def test_30_generic_upload_of_an_executable_on_the_ticket_is_refused(self):
        with self.assertNothingChanges():
            response = self.upload("helpdesk.ticket", self.ticket.id, "tool.exe", EXE, token=self.ticket_token)
        self.assertIn("not a photo or a PDF", response.json()["error"])

    def test_31_a_generic_upload_never_reaches_the_contractor(self):
        response = self.upload("helpdesk.ticket", self.ticket.id, "extra.png", PNG, token=self.ticket_token)
        attachment = self.env["ir.attachment"].browse(response.json()["data"]["attachment_id"])
        self.assertTrue(attachment.exists())
        self.assertNotIn(attachment, self.order._contractor_attachments())
        page = self.url_open(self.work_order_url(self.order))
        self.assertNotIn("extra.png", page.text)

    def test_32_the_work_order_token_opens_no_generic_mail_route(self):
        with self.assertNothingChanges():
            response = self.upload("klusheeren.work.order", self.order.id, "foto.png", PNG, token=self.order_token)
            self.assertEqual(response.status_code, 404)
            for route, params in (
                (
                    "/mail/message/post",
                    {
                        "thread_model": "klusheeren.work.order",
                        "thread_id": self.order.id,
                        "post_data": {"body": "via de generieke route"},
                        "token": self.order_token,
                    },
                ),
                (
                    "/mail/thread/messages",
                    {"thread_model": "klusheeren.work.order", "thread_id": self.order.id, "token": self.order_token},
                ),
            ):
                with self.subTest(route=route), self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request(route, params)

    def test_33_files_of_internal_notes_never_reach_contractor_or_reporter(self):
        note_file = self.env["ir.attachment"].create(
            {"name": "intern-offerte.pdf", "raw": PDF, "res_model": "helpdesk.ticket", "res_id": self.ticket.id}
        )
        self.ticket.with_user(self.backoffice).message_post(
            body="Intern", subtype_xmlid="mail.mt_note", attachment_ids=note_file.ids
        )
        self.assertNotIn(note_file, self.order._contractor_attachments())
        reporter_page = self.url_open(f"/my/ticket/{self.ticket.id}?access_token={self.ticket_token}")
        self.assertEqual(reporter_page.status_code, 200)
        self.assertNotIn("intern-offerte.pdf", reporter_page.text)
        self.assertNotIn("intern-offerte.pdf", self.url_open(self.work_order_url(self.order)).text)

    def test_34_files_the_back_office_shares_do_reach_the_contractor(self):
        shared = self.env["ir.attachment"].create(
            {"name": "plattegrond.pdf", "raw": PDF, "res_model": "helpdesk.ticket", "res_id": self.ticket.id}
        )
        self.ticket.with_user(self.backoffice).klusheeren_shared_attachment_ids = [(4, shared.id)]
        self.assertIn("plattegrond.pdf", self.url_open(self.work_order_url(self.order)).text)

    # ------------------------------------------------------------------
    # 5. complaints without limit
    # ------------------------------------------------------------------
    def complain(self, ticket=None, token=None, files=None, **data):
        ticket = ticket or self.ticket
        payload = {
            "reason": "quality",
            "description": "Slecht werk",
            "csrf_token": self.csrf("/web/login"),
            "access_token": self.ticket_token if token is None else token,
            **data,
        }
        return self.url_open(f"/my/ticket/{ticket.id}/complaint", data=payload, files=files or {})

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

    def test_42_complaint_files_follow_the_upload_policy(self):
        cases = {
            "exe": [("photos", ("bewijs.jpg", EXE, "image/jpeg"))],
            "too many": [("photos", (f"f{i}.png", PNG, "image/png")) for i in range(11)],
            "bomb": [("photos", ("groot.png", png_header(50000, 50000), "image/png"))],
        }
        for name, files in cases.items():
            with self.subTest(name), self.assertNothingChanges():
                response = self.complain(files=files)
                self.assertIn("could not be filed", response.text)

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

    # ------------------------------------------------------------------
    # 6. links outlive their purpose
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # 7. states gate every field
    # ------------------------------------------------------------------
    def test_60_a_sent_order_cannot_be_planned(self):
        with self.assertNothingChanges():
            self.post_work_order(self.order, "save", appointment_date="2027-01-15T10:00")
        self.assertFalse(self.order.appointment_date)
        self.assertNotEqual(self.ticket.stage_id, self.stage("appointment"))

    # ------------------------------------------------------------------
    # bounds of every public input
    # ------------------------------------------------------------------
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

    def test_73_report_files_follow_the_one_policy(self):
        cases = {
            "executable named as a photo": ("foto.jpg", EXE),
            "decompression bomb": ("groot.png", png_header(40000, 40000)),
            "empty file": ("leeg.png", b""),
        }
        for name, (filename, data) in cases.items():
            with self.subTest(name), self.assertNothingChanges():
                response = self.post_report(files=[("attachments", (filename, data, "image/png"))])
                self.assertEqual(response.status_code, 400)
        with self.assertNothingChanges():
            response = self.post_report(files=[("attachments", (f"f{i}.png", PNG, "image/png")) for i in range(11)])
            self.assertEqual(response.status_code, 400)

    def test_74_heic_is_accepted_everywhere_and_names_are_only_names(self):
        response = self.post_report(files=[("attachments", ("../../etc/IMG_0001.HEIC", HEIC, "image/heic"))])
        self.assertEqual(response.status_code, 200)
        photo = self.Ticket.search([], order="id desc", limit=1)._klusheeren_photos()
        self.assertEqual(photo.name, "IMG_0001.heic")
        self.assertEqual(photo.mimetype, "image/heic")
        self.complain(files=[("photos", ("klacht.heic", HEIC, "image/heic"))])
        self.assertEqual(self.ticket.complaint_ids.photo_ids.mimetype, "image/heic")

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

    def test_76_post_without_csrf_changes_nothing(self):
        self.accepted()
        with self.assertNothingChanges():
            response = self.post_work_order(self.order, "done", csrf=False)
            self.assertEqual(response.status_code, 400)
            response = self.post_report(csrf=False)
            self.assertEqual(response.status_code, 400)

    # ------------------------------------------------------------------
    # token pages: one answer for "not found" and "not allowed", no framing, no referrer
    # ------------------------------------------------------------------
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

    def test_85_portal_ticket_form_follows_the_upload_policy(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.opener.cookies.set("frontend_lang", "en_US")  # the message in English, whatever the default
        with self.assertNothingChanges():
            response = self.url_open(
                "/submitted/ticket",
                data={
                    "subject": "Lekkage",
                    "description": "water",
                    "csrf_token": self.csrf("/new/ticket"),
                    "attachment": "1",
                    "category": "abc",
                },
                files=[("attachment", ("setup.exe", EXE, "application/octet-stream"))],
            )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not a photo or a PDF", response.text)

    def test_86_rating_and_complaint_pages_refuse_wrong_tokens(self):
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
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

    def test_88_photo_of_a_ticket_is_not_public(self):
        photo = self.ticket._klusheeren_photos()[:1]
        with self.assertNothingChanges():
            for url in (f"/web/content/{photo.id}", f"/web/image/{photo.id}"):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    # /web/image answers a placeholder picture: never the photo itself
                    self.assertNotEqual(response.content, photo.raw)
                    if url.startswith("/web/content"):
                        self.assertIn(response.status_code, (403, 404))

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

    def test_90_colleague_cannot_act_on_tickets_over_rpc(self):
        self.as_colleague()
        self.assertRpcRefused("helpdesk.ticket", "write", [self.ticket.ids, {"stage_id": self.stage("closed").id}])
        self.assertRpcRefused("helpdesk.ticket", "message_post", [self.ticket.ids], {"body": "namens de melder"})
        self.assertRpcRefused("helpdesk.ticket", "action_create_work_order", [self.ticket.ids])
        self.assertRpcRefused("res.partner", "write", [self.ticket.partner_id.ids, {"email": "kaping@example.com"}])

    def test_91_request_form_takes_only_own_sites_and_their_equipment(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        base = {"subject": "Lekkage", "description": "water", "site": str(self.site.id)}
        attempts = {
            "another company's site": {"site": str(self.other_site.id)},
            "equipment of another company": {"equipment": str(self.other_equipment.id)},
            "a contractor as site": {"site": str(self.contractor.id)},
            "the back office's contact as site": {"site": str(self.bo_partner.id)},
            "no site while the company has sites": {"site": ""},
            "a category not shown in the portal": {
                "category": str(
                    self.env["helpdesk.ticket.category"].create({"name": "Intern", "show_in_portal": False}).id
                )
            },
            "a number too large": {"site": "9" * 30},
        }
        for name, fields in attempts.items():
            with self.subTest(name), self.assertNothingChanges():
                response = self.url_open(
                    "/submitted/ticket",
                    data={**base, **fields, "csrf_token": self.csrf("/new/ticket")},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("Vaatwasser", response.text)
                self.assertNotIn("Locatie Utrecht", response.text)

    def test_92_portal_reads_no_rules_and_routes_nothing(self):
        rule = self.env["klusheeren.responsibility"].create(
            {"name": "Geheim", "site_id": self.site.id, "contractor_id": self.contractor.id}
        )
        area = self.env["klusheeren.area"].create({"name": "Geheim gebied", "site_ids": [(6, 0, self.site.ids)]})
        self.ticket.sudo().responsibility_id = rule
        for login in (("kh_klant", "kh_klant_pw1"), ("kh_jansen", "kh_jansen_pw1")):
            with self.subTest(login=login[0]):
                self.authenticate(*login)
                self.assertRpcRefused("klusheeren.responsibility", "search_read", [[]], {"fields": ["name"]})
                self.assertRpcRefused("klusheeren.responsibility", "read", [rule.ids, ["name"]])
                self.assertRpcRefused("klusheeren.area", "search_read", [[]], {"fields": ["name"]})
                self.assertRpcRefused("klusheeren.area", "write", [area.ids, {"name": "weg"}])
                self.assertRpcRefused("klusheeren.responsibility", "create", [{"name": "Eigen regel", "team_id": 1}])
                self.assertRpcRefused("helpdesk.ticket", "action_klusheeren_route", [self.ticket.ids])
                self.assertRpcRefused("klusheeren.work.order", "action_klusheeren_reassign", [self.order.ids])
                self.assertRpcRefused(
                    "klusheeren.work.order.reassign",
                    "create",
                    [{"work_order_id": self.order.id, "contractor_id": self.contractor_en.id}],
                )
        self.authenticate("kh_klant", "kh_klant_pw1")
        # the rule on the company's own ticket: not readable, not searchable
        self.assertRpcRefused("helpdesk.ticket", "read", [self.ticket.ids, ["responsibility_id"]])
        self.assertRpcRefused(
            "helpdesk.ticket", "search_read", [[("responsibility_id", "=", rule.id)]], {"fields": ["name"]}
        )
        # private methods are not reachable over JSON-RPC at all
        self.assertRpcRefused("helpdesk.ticket", "_klusheeren_create_request", [{"name": "x", "description": "y"}])
        self.assertRpcRefused("helpdesk.ticket", "_klusheeren_contractor", [self.ticket.ids])

    def test_93_a_request_only_for_me_stays_mine(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Alleen voor mij",
                "description": "privé",
                "site": str(self.site.id),
                "share": "me",
                "csrf_token": self.csrf("/new/ticket"),
                "idempotency_key": "test-93-only-for-me",
            },
        )
        mine = self.env["helpdesk.ticket"].search([("name", "=", "Alleen voor mij")])
        self.assertTrue(mine.klusheeren_private)
        self.as_colleague()
        with self.assertNothingChanges():
            self.assertIn(self.url_open(f"/my/ticket/{mine.id}", allow_redirects=False).status_code, (302, 303))
            self.assertNotIn("Alleen voor mij", self.url_open("/my/tickets?search=Alleen&search_in=all").text)
            with self.assertRaises(JsonRpcException):
                self.rpc("helpdesk.ticket", "read", [mine.ids, ["name"]])
            self.assertFalse(self.rpc("helpdesk.ticket", "search_read", [[("id", "=", mine.id)]], {"fields": ["name"]}))
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {"thread_model": "helpdesk.ticket", "thread_id": mine.id, "post_data": {"body": "meelezen"}},
                )

    # ------------------------------------------------------------------
    # 10. header injection: what reaches an e-mail header is stored on one line (issue 22)
    # ------------------------------------------------------------------
    INJECTED = "Eva\r\nBcc: slachtoffer@evil.example\nX-Kop: ja\x00\x1b\u2028"

    def assertOneLine(self, *values):
        for value in values:
            self.assertFalse(re.search(r"[\x00-\x1f\x7f\u2028\u2029]", value or ""), repr(value))

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
        self.authenticate("kh_klant", "kh_klant_pw1")
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
        self.authenticate("kh_bo", "kh_boxxx")
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

    # ------------------------------------------------------------------
    # 11. every value bounded and validated on the server (issue 22)
    # ------------------------------------------------------------------
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
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
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
        self.authenticate("kh_klant", "kh_klant_pw1")
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
        self.complain()
        complaint = self.ticket.complaint_ids
        token = complaint.sudo()._portal_ensure_token()
        for feedback in ("", "f" * 20001):
            with self.subTest(length=len(feedback)), self.assertNothingChanges():
                response = self.url_open(
                    f"/klusheeren/complaint/{complaint.id}",
                    data={"feedback": feedback, "access_token": token, "csrf_token": self.csrf("/web/login")},
                )
                self.assertIn(response.status_code, (400, 404))

    # ------------------------------------------------------------------
    # 12. every action that sends e-mail or SMS or creates tickets is rate-limited (issue 22)
    # ------------------------------------------------------------------
    def limit_actions(self, per_link=1000, per_address=1000):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.action_limit_per_link", per_link)
        ICP.set_param("klusheeren_portal.action_limit_per_address", per_address)

    def test_120_contractor_page_actions_are_limited(self):
        self.accepted()
        self.limit_actions(per_link=2)
        for i in range(2):
            self.post_work_order(self.order, "message", body=f"bericht {i}")
        with self.assertNothingChanges():
            response = self.post_work_order(self.order, "message", body="nog een")
            self.assertEqual(response.status_code, 429)

    def test_121_rating_posts_are_limited(self):
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
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
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.limit_actions(per_link=1)
        data = {"subject": "Lamp", "description": "kapot", "site": str(self.site.id)}

        def send():  # each time a freshly loaded form: a new submission, not a repeat
            csrf_token, key = self.form_tokens("/new/ticket")
            return self.url_open("/submitted/ticket", data={**data, "csrf_token": csrf_token, "idempotency_key": key})

        send()
        with self.assertNothingChanges():
            self.assertEqual(send().status_code, 429)

    def test_125_contractor_complaint_answers_are_limited(self):
        self.complain()
        complaint = self.ticket.complaint_ids
        token = complaint.sudo()._portal_ensure_token()
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

    # ------------------------------------------------------------------
    # 13. read-only means read-only, over JSON-RPC too (issue 22)
    # ------------------------------------------------------------------
    def test_130_back_office_cannot_write_a_tickets_number_or_token(self):
        self.authenticate("kh_bo", "kh_boxxx")
        for vals in ({"number": "KH-A-999999"}, {"access_token": "mijn-eigen-token"}):
            with self.subTest(vals=vals):
                self.assertRpcRefused("helpdesk.ticket", "write", [self.ticket.ids, vals])

    def test_131_back_office_cannot_write_a_work_orders_number_or_token(self):
        self.authenticate("kh_bo", "kh_boxxx")
        for vals in ({"name": "KH-OC-999999"}, {"access_token": "mijn-eigen-token"}):
            with self.subTest(vals=vals):
                self.assertRpcRefused("klusheeren.work.order", "write", [self.order.ids, vals])

    def test_132_back_office_cannot_create_a_ticket_with_a_chosen_token(self):
        self.authenticate("kh_bo", "kh_boxxx")
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
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
        self.authenticate("kh_bo", "kh_boxxx")
        self.assertRpcRefused("klusheeren.rating", "write", [rating.ids, {"speed": 5, "state": "rated"}])

    # ------------------------------------------------------------------
    # 14. a token page's actions end with the life of its record (issue 22)
    # ------------------------------------------------------------------
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
        self.accepted().action_done()
        rating = self.order.klusheeren_rating_id
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

    # ------------------------------------------------------------------
    # 15. a contractor sees its own figures only, nothing internal (issue 22)
    # ------------------------------------------------------------------
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
