from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KlusheerenHelpdeskCase

# an appointment within the bounds the model accepts (at most two years ahead)
NEXT_YEAR = datetime(date.today().year + 1, 5, 18, 9, 30)


@tagged("post_install", "-at_install")
class TestWorkOrderStates(KlusheerenHelpdeskCase):
    def setUp(self):
        super().setUp()
        self.ticket = self.report()
        self.order = self.ticket.work_order_ids
        self.order.user_id = self.backoffice
        self.reporter = self.ticket.partner_id

    def notified(self, user):
        return self.env["mail.notification"].search_count(
            [
                ("res_partner_id", "=", user.partner_id.id),
                ("mail_message_id.res_id", "=", self.order.id),
                ("mail_message_id.model", "=", "klusheeren.work.order"),
            ]
        )

    def test_accept_notifies_reporter_and_back_office_once(self):
        reporter_mails = len(self.mails_to(self.reporter))
        self.assertTrue(self.order.action_accept())
        self.assertEqual(self.order.state, "accepted")
        self.assertTrue(self.order.date_accepted)
        new = self.mails_to(self.reporter)[reporter_mails:]
        self.assertEqual(len(new), 1)
        self.assertIn(self.ticket.number, new.subject)
        self.assertEqual(self.notified(self.backoffice), 1)
        to_backoffice = self.mails_to(self.backoffice.partner_id)
        self.assertEqual(len(to_backoffice), 1, "the back office user is notified by e-mail")
        self.assertEqual(to_backoffice.subject, f"Koeltechniek Jansen accepted work order {self.order.name}.")
        # a second accept changes nothing and sends nothing
        date = self.order.date_accepted
        self.assertFalse(self.order.action_accept())
        self.assertEqual(self.order.date_accepted, date)
        self.assertEqual(len(self.mails_to(self.reporter)), reporter_mails + 1)
        self.assertEqual(self.notified(self.backoffice), 1)

    def test_reporter_mails_in_reporter_language(self):
        self.reporter.lang = "nl_NL"
        self.order.action_accept()
        mail = self.mails_to(self.reporter)[-1]
        self.assertIn("is opgepakt", mail.subject)
        self.reporter.lang = "en_US"
        self.order.contractor_save({"appointment_date": NEXT_YEAR})
        mail = self.mails_to(self.reporter)[-1]
        self.assertIn("Appointment planned", mail.subject)
        self.assertIn(str(NEXT_YEAR.year), mail.body_html)

    def test_refuse(self):
        with self.assertRaises(UserError):
            self.order.action_refuse("")
        self.order.action_refuse("Geen monteur beschikbaar")
        self.assertEqual(self.order.state, "refused")
        self.assertEqual(self.order.refuse_reason, "Geen monteur beschikbaar")
        self.assertTrue(self.order.date_refused)
        self.assertEqual(self.notified(self.backoffice), 1)
        with self.assertRaises(UserError):
            self.order.action_accept()
        with self.assertRaises(UserError):
            self.order.contractor_save({"amount_total": 10})

    def test_cannot_refuse_after_accept_nor_complete_before(self):
        with self.assertRaises(UserError):
            self.order.action_done()
        self.order.action_accept()
        with self.assertRaises(UserError):
            self.order.action_refuse("te laat")

    def test_appointment_moves_ticket(self):
        self.order.action_accept()
        self.order.contractor_save({"appointment_date": NEXT_YEAR, "contractor_remarks": "Bel aan"})
        self.assertEqual(self.ticket.stage_id, self.stage("appointment"))
        self.assertEqual(self.ticket.appointment_date, self.order.appointment_date)
        self.assertEqual(self.order.contractor_remarks, "Bel aan")

    def test_contractor_save_only_touches_contractor_fields(self):
        self.order.internal_note = "<p>intern</p>"
        with self.assertRaises(UserError):
            self.order.contractor_save({"amount_total": 258.17})  # a sent order is accepted first
        self.order.action_accept()
        self.order.contractor_save(
            {
                "amount_total": 258.17,
                "warranty": True,
                "contractor_reference": "F-34509-1",
                "internal_note": "<p>hacked</p>",
                "state": "done",
                "contractor_id": self.contractor_en.id,
            }
        )
        self.assertEqual(self.order.amount_total, 258.17)
        self.assertTrue(self.order.warranty)
        self.assertEqual(self.order.contractor_reference, "F-34509-1")
        self.assertIn("intern", self.order.internal_note)
        self.assertEqual(self.order.state, "accepted")
        self.assertEqual(self.order.contractor_id, self.contractor)

    def test_contractor_values_are_checked_in_the_model(self):
        self.order.action_accept()
        for vals in (
            {"amount_total": float("nan")},
            {"amount_total": float("inf")},
            {"amount_total": -0.01},
            {"amount_total": 10_000_001},
            {"amount_total": "12"},
            {"amount_total": True},
            {"warranty": "yes"},
            {"contractor_remarks": "x" * 5001},
            {"contractor_reference": "x" * 65},
            {"contractor_remarks": ["not", "text"]},
            {"appointment_date": "9999-12-31 10:00:00"},
            {"appointment_date": "1900-01-01 10:00:00"},
            {"appointment_date": "2027-02-30 10:00:00"},
            "not a dict",
        ):
            with self.subTest(vals=str(vals)[:40]), self.assertRaises(UserError):
                self.order.contractor_save(vals)
        self.order.contractor_save({"amount_total": 10.005})
        self.assertEqual(self.order.amount_total, 10.01, "rounded to the currency")

    def test_back_office_transitions_refuse_portal_users(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portaal",
                "login": "kh_portal_states",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        order = self.order.with_user(portal)
        for method in ("action_send", "action_cancel", "action_accept"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(order, method)()
        self.assertEqual(self.order.state, "sent")

    def test_reassigning_rotates_the_token(self):
        token = self.order.access_token
        self.order.contractor_id = self.contractor_en
        self.assertTrue(self.order.access_token)
        self.assertNotEqual(self.order.access_token, token)
        self.order.action_cancel()
        self.assertNotEqual(self.order.access_token, token)

    def test_hold_and_resume(self):
        with self.assertRaises(UserError):
            self.order.action_hold("onderdelen")  # not accepted yet
        self.order.action_accept()
        with self.assertRaises(UserError):
            self.order.action_hold(" ")
        self.order.action_hold("Compressor besteld")
        self.assertEqual(self.order.state, "on_hold")
        self.assertEqual(self.order.hold_reason, "Compressor besteld")
        self.order.action_resume()
        self.assertEqual(self.order.state, "accepted")
        with self.assertRaises(UserError):
            self.order.action_resume()

    def test_done_locks_and_resolves(self):
        self.order.action_accept()
        self.order.action_hold("Compressor besteld")
        before = len(self.mails_to(self.reporter))
        self.order.action_done()
        self.assertEqual(self.order.state, "done")
        self.assertTrue(self.order.date_done)
        self.assertEqual(self.ticket.stage_id, self.stage("resolved"))
        self.assertEqual(len(self.mails_to(self.reporter)), before + 1)
        # locked for the contractor
        with self.assertRaises(UserError):
            self.order.contractor_save({"amount_total": 1})
        # locked for a back-office user
        with self.assertRaises(UserError):
            self.order.with_user(self.backoffice).write({"amount_total": 1})
        with self.assertRaises(UserError):
            self.order.with_user(self.backoffice).action_cancel()
        with self.assertRaises(AccessError):
            self.order.with_user(self.backoffice).action_reopen("oeps")
        # a manager reopens, with a reason
        with self.assertRaises(UserError):
            self.order.with_user(self.manager).action_reopen("")
        self.order.with_user(self.manager).action_reopen("Factuurbedrag vergeten")
        self.assertEqual(self.order.state, "accepted")
        self.assertIn("Factuurbedrag vergeten", self.order.message_ids[0].body)
        self.order.contractor_save({"amount_total": 99})
        self.assertEqual(self.order.amount_total, 99)

    def test_cancel(self):
        self.order.action_cancel()
        self.assertEqual(self.order.state, "cancelled")
        with self.assertRaises(UserError):
            self.order.action_accept()

    def test_contractor_message_reaches_back_office(self):
        self.order.contractor_post_message(
            "Ik kom dinsdag.\n<script>alert(1)</script>", [("bon.pdf", b"%PDF-1.4 test", "application/pdf")]
        )
        message = self.order.message_ids[0]
        self.assertEqual(message.author_id, self.contractor)
        self.assertNotIn("<script>", message.body)
        self.assertIn("&lt;script&gt;", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["bon.pdf"])
        self.assertEqual(self.notified(self.backoffice), 1)

    def test_lines(self):
        self.order.write(
            {
                "line_ids": [
                    (0, 0, {"name": "Thermostaat", "quantity": 2, "price_unit": 19.95}),
                    (0, 0, {"name": "Arbeid", "quantity": 1.5, "price_unit": 60}),
                ]
            }
        )
        self.assertAlmostEqual(self.order.amount_lines, 129.9)
