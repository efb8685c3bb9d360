# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): files: Odoo's generic upload route, the
upload policy of every form, what reaches whom.
"""

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.klusheeren_portal.tests.common import PNG

from .attack_common import EXE, HEIC, PDF, KlusheerenAttackCase, png_header


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackFiles(KlusheerenAttackCase):
    def upload(self, thread_model, thread_id, name, data, **params):
        csrf = self.csrf("/web/login")
        return self.url_open(
            "/mail/attachment/upload",
            data={"thread_model": thread_model, "thread_id": thread_id, "csrf_token": csrf, **params},
            files={"ufile": (name, data, "application/octet-stream")},
        )

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

    def test_85_portal_ticket_form_follows_the_upload_policy(self):
        self.as_customer()
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
