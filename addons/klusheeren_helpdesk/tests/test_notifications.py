from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import PNG
from .test_responsibility import ResponsibilityCase

REASSIGN = "klusheeren_helpdesk.mail_activity_type_reassign"
NEXT_YEAR = datetime(date.today().year + 1, 5, 18, 9, 30)
T0 = datetime(2030, 3, 4, 9, 0, 0)


class NotificationCase(ResponsibilityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # followers and tracking as in production (BaseCommon switches them off)
        cls.env = cls.env(
            context={key: value for key, value in cls.env.context.items() if key not in DISABLED_MAIL_CONTEXT}
        )
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.WorkOrder = cls.env["klusheeren.work.order"]
        cls.Mail = cls.env["mail.mail"]
        cls.Rule = cls.env["klusheeren.responsibility"]
        cls.backoffice.lang = "nl_NL"
        # Amstelveen: the colleague (English) is responsible, Jansen the contractor, Cool Fix the next one
        cls.rule_town = cls.Rule.create(
            {
                "name": "Amstelveen",
                "area_id": cls.amstelveen.id,
                "team_id": cls.team_north.id,
                "user_id": cls.colleague.id,
                "contractor_id": cls.contractor.id,
            }
        )
        cls.rule_region = cls.Rule.create(
            {"name": "Regio", "area_id": cls.region.id, "team_id": cls.team.id, "contractor_id": cls.contractor_en.id}
        )

    def setUp(self):
        super().setUp()
        self.ticket = self.report()
        self.reporter = self.ticket.partner_id
        self.reporter.lang = "nl_NL"
        self.order = self.ticket.work_order_ids
        self.send_pending()  # the confirmation, the announcement and the contractor's e-mail are out

    def new_mails(self, partner, before):
        return self.mails_to(partner) - before

    def post_as(self, partner, body="Het lekt nog steeds.", **kw):
        # what the ticket page's chatter does for the reporter's link (/mail/message/post, as superuser)
        return self.ticket.sudo().message_post(
            body=body, author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_comment", **kw
        )


@tagged("post_install", "-at_install")
class TestNobodyMissesARequest(NotificationCase):
    def test_new_ticket_is_announced_to_the_responsible_by_the_sending_job(self):
        ticket = self.report()
        self.assertEqual(ticket.user_id, self.colleague)
        self.assertFalse(
            self.mails_to(self.colleague.partner_id).filtered(lambda m: ticket.number in (m.subject or "")),
            "nothing rendered in the report's request",
        )
        self.send_pending()
        mail = self.mails_to(self.colleague.partner_id).filtered(lambda m: ticket.number in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.colleague.partner_id)
        self.assertIn(f"New request {ticket.number} from Douwe Demo (QR) at Demo locatie 1", mail.subject)
        self.assertIn(f"/odoo/helpdesk.ticket/{ticket.id}", mail.body_html)
        self.assertFalse(ticket.klusheeren_announce_pending)
        self.assertIn(self.reporter, ticket.message_partner_ids, "the reporter follows the ticket")
        self.assertIn(self.colleague.partner_id, ticket.message_partner_ids)

    def test_without_responsible_the_team_members_are_told_in_their_language(self):
        self.rule_town.user_id = False
        self.rule_town.team_id = self.team  # members: the back office (Dutch) and the colleague (English)
        ticket = self.report()
        self.assertFalse(ticket.user_id)
        self.send_pending()
        dutch = self.mails_to(self.backoffice.partner_id).filtered(lambda m: ticket.number in (m.subject or ""))
        english = self.mails_to(self.colleague.partner_id).filtered(lambda m: ticket.number in (m.subject or ""))
        self.assertEqual(len(dutch), 1)
        self.assertEqual(dutch.recipient_ids, self.backoffice.partner_id)
        self.assertIn(f"Nieuwe melding {ticket.number} van Douwe Demo", dutch.subject)
        self.assertEqual(len(english), 1)
        self.assertIn(f"New request {ticket.number} from Douwe Demo", english.subject)

    def test_mail_alias_lands_in_the_same_flow(self):
        raw = (
            "From: Anna <anna@example.com>\r\nTo: storingen@example.com\r\n"
            "Subject: Deur klemt\r\nMessage-ID: <kh-flow-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nDe voordeur klemt.\r\n"
        )
        email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        self.Rule.create(
            {"name": "E-mail", "channel_id": email.id, "team_id": self.team_north.id, "user_id": self.colleague.id}
        )
        ticket = self.Ticket.browse(
            self.env["mail.thread"].message_process("helpdesk.ticket", raw, custom_values={"team_id": self.team.id})
        )
        self.assertEqual(ticket.user_id, self.colleague)
        self.send_pending()
        mail = self.mails_to(self.colleague.partner_id).filtered(lambda m: ticket.number in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn("(Email)", mail.subject)
        self.assertEqual(len(self.mails_to(ticket.partner_id)), 1, "Anna's confirmation")
        # her answer by e-mail reaches the responsible
        before = self.mails_to(self.colleague.partner_id)
        reply = (
            "From: Anna <anna@example.com>\r\nTo: storingen@example.com\r\n"
            f"Subject: Re: {ticket.number}\r\nMessage-ID: <kh-flow-2@example.com>\r\n"
            "In-Reply-To: <kh-flow-1@example.com>\r\nReferences: <kh-flow-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nHij klemt nu helemaal.\r\n"
        )
        self.env["mail.thread"].message_process("helpdesk.ticket", reply)
        new = self.new_mails(self.colleague.partner_id, before)
        self.assertEqual(len(new), 1)
        self.assertIn("Hij klemt nu helemaal", new.body_html)

    def test_reporter_message_and_file_reach_the_responsible(self):
        before = self.mails_to(self.colleague.partner_id)
        self.post_as(self.reporter)
        new = self.new_mails(self.colleague.partner_id, before)
        self.assertEqual(len(new), 1)
        self.assertIn("Het lekt nog steeds.", new.body_html)
        self.assertNotIn(self.reporter, new.recipient_ids, "not to its author")
        before |= new
        photo = self.env["ir.attachment"].create(
            {"name": "nog.png", "raw": PNG, "res_model": "helpdesk.ticket", "res_id": self.ticket.id}
        )
        self.post_as(self.reporter, body="", attachment_ids=photo.ids)
        new = self.new_mails(self.colleague.partner_id, before)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.attachment_ids.name, "nog.png")

    def test_customer_company_colleague_reaches_the_responsible(self):
        customer = self.env["res.partner"].create({"name": "Klant B.V.", "is_company": True})
        self.site.parent_id = customer
        portal = new_test_user(self.env, login="kh_klant", groups="base.group_portal", email="klant@klant.example.com")
        portal.partner_id.parent_id = customer
        before = self.mails_to(self.colleague.partner_id)
        self.post_as(portal.partner_id, body="Wanneer komt de monteur?")
        self.assertEqual(len(self.new_mails(self.colleague.partner_id, before)), 1)

    def test_reopen_tells_the_responsible(self):
        self.ticket._klusheeren_set_stage("resolved")
        before = self.mails_to(self.colleague.partner_id)
        reporter_before = self.mails_to(self.reporter)
        self.post_as(self.reporter, body="Hij doet het weer niet.")
        self.assertEqual(self.ticket.stage_id, self.stage("first_line"))
        new = self.new_mails(self.colleague.partner_id, before)
        self.assertEqual(len(new), 2, "the message itself and the reopening")
        self.assertTrue(
            any(
                f"Reopened: the reporter answered on the resolved ticket {self.ticket.number}" in m.subject for m in new
            )
        )
        self.assertFalse(self.new_mails(self.reporter, reporter_before), "the reporter reopened it: no stage e-mail")

    def test_backend_reply_reaches_the_reporter(self):
        before = self.mails_to(self.reporter)
        self.ticket.with_user(self.backoffice).message_post(
            body="De monteur komt morgen.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        new = self.new_mails(self.reporter, before)
        self.assertEqual(len(new), 1)
        self.assertIn("De monteur komt morgen.", new.body_html)
        # an internal note does not
        before |= new
        self.ticket.with_user(self.backoffice).message_post(body="Intern", subtype_xmlid="mail.mt_note")
        self.assertFalse(self.new_mails(self.reporter, before))


@tagged("post_install", "-at_install")
class TestReporterHearsEveryStep(NotificationCase):
    def test_customer_facing_stage_in_the_reporters_language(self):
        before = self.mails_to(self.reporter)
        self.ticket.with_user(self.backoffice).stage_id = self.stage("second_line")
        mail = self.new_mails(self.reporter, before)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.reporter)
        self.assertEqual(mail.subject, f"Uw melding {self.ticket.number}: Tweede lijn")
        self.assertIn("tweedelijns", mail.body_html)
        self.assertIn(f"/my/ticket/{self.ticket.id}?access_token={self.ticket.access_token}", mail.body_html)
        # in English for an English reporter
        self.reporter.lang = "en_US"
        before |= mail
        self.ticket.with_user(self.backoffice).stage_id = self.stage("investigation")
        mail = self.new_mails(self.reporter, before)
        self.assertEqual(mail.subject, f"Your report {self.ticket.number}: Under investigation")
        self.assertIn("it is investigated first", mail.body_html)

    def test_every_customer_facing_stage_has_an_explanation(self):
        internal = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        self.assertTrue(internal.klusheeren_internal)
        for name in (
            "first_line",
            "second_line",
            "third_line",
            "waiting_customer",
            "waiting_external",
            "appointment",
            "investigation",
            "resolved",
            "closed",
        ):
            stage = self.stage(name)
            with self.subTest(stage=name):
                self.assertFalse(stage.klusheeren_internal)
                self.assertTrue(stage.description)
                self.assertTrue(
                    stage.with_context(lang="nl_NL").description != stage.with_context(lang="en_US").description
                )

    def test_internal_stages_send_nothing(self):
        before = self.mails_to(self.reporter)
        self.ticket.with_user(self.backoffice).stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        self.stage("third_line").klusheeren_internal = True
        self.ticket.with_user(self.backoffice).stage_id = self.stage("third_line")
        self.assertFalse(self.new_mails(self.reporter, before))
        # the same stage again sends nothing either
        self.ticket.with_user(self.backoffice).stage_id = self.stage("second_line")
        self.ticket.with_user(self.backoffice).stage_id = self.stage("second_line")
        self.assertEqual(len(self.new_mails(self.reporter, before)), 1)

    def test_work_order_events_send_their_own_mail_once(self):
        self.assertEqual(self.ticket.stage_id, self.stage("waiting_external"))
        self.assertEqual(len(self.mails_to(self.reporter)), 1, "the confirmation only, no stage e-mail on creation")
        before = self.mails_to(self.reporter)
        self.order.action_accept()
        self.order.contractor_save({"appointment_date": NEXT_YEAR})
        self.assertEqual(self.ticket.stage_id, self.stage("appointment"))
        self.order.action_done()
        self.assertEqual(self.ticket.stage_id, self.stage("resolved"))
        self.assertEqual(len(self.new_mails(self.reporter, before)), 3, "accepted, appointment, done: once each")

    def test_waiting_on_customer_goes_back_when_the_customer_answers(self):
        self.ticket.with_user(self.backoffice).stage_id = self.stage("third_line")
        before = self.mails_to(self.reporter)
        self.ticket.with_user(self.backoffice).stage_id = self.stage("waiting_customer")
        asked = self.new_mails(self.reporter, before)
        self.assertEqual(asked.subject, f"Uw melding {self.ticket.number}: Wacht op klant")
        self.assertEqual(self.ticket.klusheeren_return_stage_id, self.stage("third_line"))
        before |= asked
        responsible_before = self.mails_to(self.colleague.partner_id)
        self.post_as(self.reporter, body="De code is 4711.")
        self.assertEqual(self.ticket.stage_id, self.stage("third_line"))
        self.assertFalse(self.ticket.klusheeren_return_stage_id)
        self.assertFalse(self.new_mails(self.reporter, before), "the reporter answered: nothing to tell them")
        told = self.new_mails(self.colleague.partner_id, responsible_before)
        self.assertEqual(len(told), 2, "the answer and the move back")
        self.assertTrue(any("answered on" in m.subject and "back to Third line" in m.subject for m in told))
        # a back-office message does not move it back
        self.ticket.with_user(self.backoffice).stage_id = self.stage("waiting_customer")
        self.ticket.with_user(self.backoffice).message_post(
            body="Nog iets?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(self.ticket.stage_id, self.stage("waiting_customer"))

    def test_autoclose_tells_the_reporter(self):
        self.ticket._klusheeren_set_stage("resolved")
        before = self.mails_to(self.reporter)
        self.ticket.last_stage_update = datetime.now() - timedelta(days=8)
        self.Ticket._cron_close_resolved()
        mail = self.new_mails(self.reporter, before)
        self.assertEqual(mail.subject, f"Uw melding {self.ticket.number}: Gesloten")


@tagged("post_install", "-at_install")
class TestCancelAndRefuse(NotificationCase):
    def test_cancel_tells_the_contractor_who_had_it_and_the_reporter(self):
        contractor_before = self.mails_to(self.contractor)
        reporter_before = self.mails_to(self.reporter)
        self.order.with_user(self.backoffice).action_cancel()
        to_contractor = self.new_mails(self.contractor, contractor_before)
        self.assertEqual(len(to_contractor), 1)
        self.assertEqual(to_contractor.subject, f"Werkorder {self.order.name} is geannuleerd")
        self.assertNotIn("access_token", to_contractor.body_html, "no link to a withdrawn job")
        to_reporter = self.new_mails(self.reporter, reporter_before)
        self.assertEqual(len(to_reporter), 1, "the cancellation, no stage e-mail on top")
        self.assertIn(f"Het werk voor uw melding {self.ticket.number} is geannuleerd", to_reporter.subject)
        self.assertEqual(self.ticket.stage_id, self.stage("first_line"))

    def test_cancel_of_an_order_never_received(self):
        ticket = self.report()  # its e-mail waits for the sending job
        order = ticket.work_order_ids
        self.assertTrue(order.mail_pending)
        before = self.mails_to(self.contractor)
        order.with_user(self.backoffice).action_cancel()
        self.send_pending()
        self.assertFalse(self.new_mails(self.contractor, before), "it never had the order: nothing, not even the order")
        english = self.env["res.partner"].create({"name": "Sam", "email": "sam@example.com", "lang": "en_US"})
        draft = self.WorkOrder.create({"ticket_id": ticket.id, "contractor_id": self.contractor_en.id, "title": "x"})
        draft.ticket_id.partner_id = english
        draft.with_user(self.backoffice).action_cancel()
        self.assertFalse(self.mails_to(self.contractor_en).filtered(lambda m: draft.name in (m.subject or "")))
        mail = self.mails_to(english)
        self.assertEqual(len(mail), 1)
        self.assertIn(f"The work for your report {ticket.number} has been cancelled", mail.subject)

    def test_refusal_puts_the_ticket_back_and_one_click_sends_to_the_next(self):
        reporter_before = self.mails_to(self.reporter)
        self.order.action_refuse("Geen monteur beschikbaar")
        self.assertEqual(self.ticket.stage_id, self.stage("first_line"))
        stage_mail = self.new_mails(self.reporter, reporter_before)
        self.assertEqual(stage_mail.subject, f"Uw melding {self.ticket.number}: Eerste lijn")
        activity = self.order.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref(REASSIGN))
        self.assertEqual(activity.user_id, self.colleague)
        self.assertIn("Cool Fix Ltd", activity.note, "the next contractor the rules give")
        self.assertIn("Geen monteur beschikbaar", activity.summary)

        action = self.order.with_user(self.backoffice).action_klusheeren_reassign()
        new = self.WorkOrder.browse(action["res_id"])
        self.assertEqual(new.contractor_id, self.contractor_en)
        self.assertEqual(new.responsibility_id, self.rule_region)
        self.assertEqual(new.state, "sent")
        self.assertEqual(new.ticket_id, self.ticket)
        self.assertFalse(self.order.activity_ids, "the activity is done")
        self.assertEqual(self.ticket.stage_id, self.stage("waiting_external"))
        self.send_pending()
        self.assertTrue(self.mails_to(self.contractor_en).filtered(lambda m: new.name in m.subject))

        # refused again: no rule is left, and the fallback (the equipment's) refused already
        new.action_refuse("Ook niet")
        self.assertIn("No other contractor", new.activity_ids.note)
        with self.assertRaises(UserError):
            new.with_user(self.backoffice).action_klusheeren_reassign()
        # one chosen in the wizard
        wizard = (
            self.env["klusheeren.work.order.reassign"]
            .with_user(self.backoffice)
            .with_context(default_work_order_id=new.id)
            .create({"contractor_id": self.contractor_3.id})
        )
        third = self.WorkOrder.browse(wizard.action_confirm()["res_id"])
        self.assertEqual((third.contractor_id, third.state), (self.contractor_3, "sent"))
        self.assertFalse(third.responsibility_id)

    def test_reassign_wizard_preselects_the_next_contractor(self):
        self.order.action_refuse("Vol")
        defaults = (
            self.env["klusheeren.work.order.reassign"]
            .with_user(self.backoffice)
            .with_context(default_work_order_id=self.order.id)
            .default_get(["work_order_id", "contractor_id"])
        )
        self.assertEqual(defaults["contractor_id"], self.contractor_en.id)

    def test_reassign_is_back_office_only_and_only_after_refusal(self):
        with self.assertRaises(UserError):
            self.order.with_user(self.backoffice).action_klusheeren_reassign()
        self.order.action_refuse("Vol")
        portal = new_test_user(self.env, login="kh_portal_reassign", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.order.with_user(portal).action_klusheeren_reassign()
        not_a_contractor = self.env["res.partner"].create({"name": "Geen aannemer"})
        with self.assertRaises(UserError):
            self.order.with_user(self.backoffice).action_klusheeren_reassign(not_a_contractor)


@tagged("post_install", "-at_install")
class TestReminderChoice(NotificationCase):
    def test_reminders_follow_the_order_default_from_the_contractor(self):
        self.contractor.klusheeren_send_reminders = False
        with freeze_time(T0):
            quiet = self.report().work_order_ids
            self.contractor.klusheeren_send_reminders = True
            loud = self.report().work_order_ids
            self.send_pending()
        self.assertFalse(quiet.send_reminders)
        self.assertTrue(loud.send_reminders)
        with freeze_time(T0 + timedelta(hours=25)):
            self.WorkOrder._cron_remind()
        self.assertEqual((quiet.reminder_count, loud.reminder_count), (0, 1))
        quiet.send_reminders = True
        with freeze_time(T0 + timedelta(hours=26)):
            self.WorkOrder._cron_remind()
        self.assertEqual(quiet.reminder_count, 1, "the order says otherwise than its contractor")
