from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase


class TestReportChannel(KlusheerenHelpdeskCase):
    """The preferred channel of the sticker's report form: a declared parameter of the one report
    method, given meaning here by the hooks ``_klusheeren_report_check_channel`` and
    ``_klusheeren_report_partner`` (no controller, no context key)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Submission = cls.env["klusheeren.report.submission"].sudo()
        cls.sticker = cls.equipment.sticker_id

    def report(self, notify_channel, **fields):
        post = {
            "description": "De koelkast lekt",
            "name": "Piet Melder",
            "email": "piet.kanaal@example.com",
            "phone": "0612345678",
            "idempotency_key": self.Submission._klusheeren_new_key(),
            **fields,
        }
        result = self.Submission._klusheeren_report(self.sticker, post, notify_channel=notify_channel)
        self.Submission._cron_make_tickets()  # the intake job, as the cron runs it after the commit
        return {**result, "ticket": result["submission"].ticket_id}

    def test_sms_needs_a_mobile_number_in_the_phone_field(self):
        tickets = self.Ticket.sudo().search_count([])
        result = self.report("sms", phone="")
        self.assertEqual(result["status"], "invalid")
        self.assertEqual(result["errors"], {"phone": "Give a valid mobile phone number to receive SMS."})
        self.assertEqual(self.Ticket.sudo().search_count([]), tickets, "nothing made")
        self.assertEqual(self.report("both", phone="12")["errors"].keys(), {"phone"})

    def test_the_chosen_channel_is_set_on_the_new_contact(self):
        result = self.report("both")
        self.assertEqual(result["status"], "new")
        self.assertEqual(result["ticket"].sudo().partner_id.klusheeren_notify_channel, "both")

    def test_email_needs_no_phone_and_an_unknown_channel_is_no_choice(self):
        result = self.report("email", phone="")
        self.assertEqual(result["status"], "new")
        self.assertEqual(result["ticket"].sudo().partner_id.klusheeren_notify_channel, "email")
        result = self.report("pigeon", email="piet.duif@example.com", phone="")
        self.assertEqual(result["status"], "new")
        self.assertFalse(result["ticket"].sudo().partner_id.klusheeren_notify_channel)

    def test_check_hook_declares_the_channel(self):
        report, errors = self.Ticket._klusheeren_report_check(
            "Lekt", "Piet", "piet@example.com", "0612345678", notify_channel="sms"
        )
        self.assertEqual((report["notify_channel"], errors), ("sms", {}))
