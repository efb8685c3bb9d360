import io
from unittest.mock import patch

from werkzeug.datastructures import FileStorage

from odoo.addons.klusheeren_base.tools import upload
from odoo.addons.klusheeren_helpdesk.tests.common import PNG, KlusheerenHelpdeskCase


def upload_of(data, name="photo.png"):
    return FileStorage(stream=io.BytesIO(data), filename=name)


class TestReportMethod(KlusheerenHelpdeskCase):
    """``klusheeren.report.submission._klusheeren_report``: the one method behind the sticker's
    form, every check once, errors per field for the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Submission = cls.env["klusheeren.report.submission"].sudo()
        cls.sticker = cls.equipment.sticker_id

    def post(self, **fields):
        return {
            "description": "De koelkast lekt",
            "name": "Piet Melder",
            "email": "piet@example.com",
            "phone": "0612345678",
            "idempotency_key": self.Submission._klusheeren_new_key(),
            **fields,
        }

    def made(self, result):
        """The ticket of an accepted report, once the intake job has run (as the cron does)."""
        self.assertTrue(result["number"], "an accepted report has its ticket number at once")
        self.assertFalse(result["submission"].ticket_id, "the ticket is made by the intake job")
        self.Submission._cron_make_tickets()
        ticket = result["submission"].ticket_id
        self.assertEqual(ticket.number, result["number"], "the ticket has the number the reporter was given")
        return ticket

    def counts(self):
        return (
            self.Ticket.sudo().search_count([]),
            self.Submission.search_count([]),
            self.env["ir.attachment"].sudo().search_count([("res_model", "=", "klusheeren.report.submission")]),
        )

    def test_errors_per_field_and_nothing_made(self):
        before = self.counts()
        result = self.Submission._klusheeren_report(
            self.sticker,
            self.post(description="  ", email="not an address", phone="call me", idempotency_key="x"),
            [upload_of(b"MZ\x90\x00 not a photo", "virus.exe")],
        )
        self.assertEqual(result["status"], "invalid")
        self.assertEqual(set(result["errors"]), {"description", "email", "phone", "attachments", "form"})
        self.assertEqual(result["errors"]["description"], "Describe the fault.")
        self.assertIn("valid e-mail address", result["errors"]["email"])
        self.assertIn("phone number of digits", result["errors"]["phone"])
        self.assertIn("is not a photo or a PDF", result["errors"]["attachments"])
        self.assertFalse(result["ticket"])
        self.assertNotEqual(result["idempotency_key"], "x", "an unusable key is replaced for the next sending")
        self.assertEqual(self.counts(), before, "a refused report changes nothing")

    def test_an_address_normalize_accepts_but_the_ticket_refuses_is_the_email_fields(self):
        result = self.Submission._klusheeren_report(self.sticker, self.post(email="Piet <piet@example.com>"))
        self.assertEqual(result["status"], "invalid")
        self.assertEqual(list(result["errors"]), ["email"])
        self.assertIn("one valid e-mail address", result["errors"]["email"])

    def test_refused_report_keeps_its_checked_photos_for_the_corrected_form(self):
        post = self.post(description="")
        result = self.Submission._klusheeren_report(self.sticker, post, [upload_of(PNG)], allow=lambda: True)
        self.assertEqual(list(result["errors"]), ["description"])
        self.assertEqual(len(result["kept"]), 1)
        result = self.Submission._klusheeren_report(
            self.sticker, {**post, "description": "Lekt", "kept": "1"}, allow=lambda: True
        )
        self.assertEqual(result["status"], "open")
        ticket = self.made(result)
        self.assertEqual(len(ticket.klusheeren_shared_attachment_ids), 1, "the kept photo is the ticket's")

    def test_each_file_is_checked_once(self):
        with patch.object(upload, "check_file", wraps=upload.check_file) as check:
            result = self.Submission._klusheeren_report(
                self.sticker, self.post(), [upload_of(PNG), upload_of(PNG, "second.png")]
            )
        self.assertEqual(result["status"], "new")
        self.assertEqual(check.call_count, 2, "one check per file, not one per layer")
        ticket = self.made(result)
        self.assertEqual(ticket.sudo().klusheeren_shared_attachment_ids.mapped("name"), ["photo.png", "second.png"])
        self.assertEqual(ticket.sudo().partner_id.email, "piet@example.com")
        self.assertEqual(ticket.sudo().channel_id, self.env.ref("klusheeren_helpdesk.helpdesk_ticket_channel_qr"))

    def test_a_repeat_answers_with_the_same_ticket(self):
        post = self.post()
        first = self.Submission._klusheeren_report(self.sticker, post)
        again = self.Submission._klusheeren_report(self.sticker, post)
        self.assertEqual((first["status"], again["status"]), ("new", "done"))
        self.assertEqual(again["number"], first["number"], "a repeat before the job: the same number")
        ticket = self.made(first)
        later = self.Submission._klusheeren_report(self.sticker, post)
        self.assertEqual((later["status"], later["ticket"], later["number"]), ("done", ticket, ticket.number))
        self.assertEqual(self.Ticket.sudo().search_count([("number", "=", ticket.number)]), 1)

    def test_a_key_of_another_sticker_makes_nothing(self):
        post = self.post()
        self.Submission._klusheeren_report(self.sticker, post)
        before = self.counts()
        result = self.Submission._klusheeren_report(self.equipment_en.sticker_id, post)
        self.assertEqual(result["status"], "foreign")
        self.assertIn("another sticker", result["errors"]["form"])
        self.assertNotEqual(result["idempotency_key"], post["idempotency_key"])
        self.assertEqual(self.counts(), before)

    def test_rate_limit_and_honeypot_make_nothing(self):
        before = self.counts()
        result = self.Submission._klusheeren_report(self.sticker, self.post(), allow=lambda: False)
        self.assertEqual(result["status"], "too_many")
        result = self.Submission._klusheeren_report(self.sticker, self.post(kh_website="http://spam.example.com"))
        self.assertEqual(result["status"], "ignored")
        self.assertEqual(self.counts(), before)

    def test_the_channel_is_a_declared_parameter_without_meaning_here(self):
        """Without an addon that notifies by other channels, the preferred channel is dropped
        (klusheeren_visit's hook gives it meaning: tested there)."""
        report, errors = self.Ticket._klusheeren_report_check(
            "Lekt", "Piet", "piet@example.com", "", notify_channel="pigeon"
        )
        self.assertEqual(errors, {})
        self.assertFalse(report["notify_channel"])
