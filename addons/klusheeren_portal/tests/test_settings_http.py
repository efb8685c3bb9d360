"""Settings > KlusHeeren as the public pages feel it: a lower upload limit refuses a file as a
real HTTP request (nothing stored), lower rate limits refuse the next report. Every test puts
back what it changed and empties the parameter cache, so no limit leaks into other tests."""

import io
import os

from PIL import Image

from odoo.tests import Form, tagged

from .common import JPEG_HEADER, KlusheerenPortalCase, visible_text

KEYS = (
    "klusheeren_equipment.upload_max_mb",
    "klusheeren_portal.rate_limit_per_address",
    "klusheeren_portal.rate_limit_address_minutes",
    "klusheeren_portal.rate_limit_per_sticker",
    "klusheeren_portal.rate_limit_sticker_minutes",
)


@tagged("post_install", "-at_install")
class TestSettingsOnThePages(KlusheerenPortalCase):
    def setUp(self):
        super().setUp()
        ICP = self.env["ir.config_parameter"].sudo()
        saved = {key: ICP.get_param(key) for key in KEYS}

        def restore():
            for key, value in saved.items():
                ICP.set_param(key, value)
            self.env.registry.clear_cache("stable")

        self.addCleanup(restore)

    def save_settings(self, **values):
        form = Form(self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")))
        for name, value in values.items():
            setattr(form, name, value)
        form.save().execute()

    def tickets(self):
        return self.env["helpdesk.ticket"].search([("equipment_id", "=", self.equipment.id)])

    def test_a_lower_upload_limit_refuses_the_file_and_stores_nothing(self):
        self.save_settings(klusheeren_upload_max_mb=1)
        page = self.url_open(self.qr_url())
        self.assertIn("at most 1 MB each", visible_text(page.text), "the form tells the limit")
        attachments = self.env["ir.attachment"].search_count([])
        buffer = io.BytesIO()
        Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, "PNG")
        photo = buffer.getvalue()  # a real photo of about 1.4 MB: under the default 10 MB
        self.assertGreater(len(photo), 1024 * 1024)
        response = self.post_report(
            files=[("attachments", ("foto.png", photo, "image/png"))], description="Lekkage bij de kraan"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("foto.png is larger than 1 MB.", response.text)
        self.assertIn("Lekkage bij de kraan", response.text, "what was typed is kept")
        self.assertFalse(self.tickets())
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        # back at the default, the same file goes through
        self.save_settings(klusheeren_upload_max_mb=10)
        self.assertIn("at most 10 MB each", visible_text(self.url_open(self.qr_url()).text))
        response = self.post_report(files=[("attachments", ("foto.png", photo, "image/png"))])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.tickets()), 1)
        self.assertIn("foto.png", self.tickets().klusheeren_shared_attachment_ids.mapped("name"))

    def test_the_contractor_page_and_the_chatter_upload_read_the_same_limit(self):
        order = self.report().work_order_ids
        self.save_settings(klusheeren_upload_max_mb=1)
        photo = JPEG_HEADER + b"\0" * (1024 * 1024 + 10)
        messages = order.message_ids
        response = self.post_work_order(
            order, "message", files=[("attachments", ("foto.jpg", photo, "image/jpeg"))], body="Zie foto"
        )
        self.assertIn("foto.jpg is larger than 1 MB.", response.text)
        self.assertIn("Zie foto", response.text, "what was typed is kept")
        order.invalidate_recordset()
        self.assertEqual(order.message_ids, messages, "nothing posted")
        ticket = order.ticket_id
        attachments = ticket.attachment_ids
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "thread_model": "helpdesk.ticket",
                "thread_id": ticket.id,
                "token": ticket.access_token,
                "csrf_token": self.csrf("/web/login"),
            },
            files={"ufile": ("foto.jpg", photo, "image/jpeg")},
        )
        self.assertIn("foto.jpg is larger than 1 MB.", response.json()["error"])
        self.assertEqual(ticket.attachment_ids, attachments)

    def test_lower_rate_limits_from_the_settings_refuse_the_next_report(self):
        self.save_settings(klusheeren_rate_limit_per_address=2, klusheeren_rate_limit_per_sticker=1000)
        self.assertEqual(self.post_report().status_code, 200)
        self.assertEqual(self.post_report().status_code, 200)
        response = self.post_report(description="Derde melding")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(self.tickets()), 2)

    def test_zero_rate_limits_are_refused_with_a_message(self):
        form = Form(self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")))
        form.klusheeren_rate_limit_address_minutes = 0
        with self.assertRaisesRegex(Exception, "must be at least 1"):
            form.save()
