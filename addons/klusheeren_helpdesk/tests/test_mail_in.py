"""Mail in (issue 25), through Odoo's mail gateway with raw RFC 822 messages: replies to the work
order e-mails, the reporter's replies, tickets by mail to a team's alias, and the mail that must
never post (auto-replies, bounces, bulk)."""

import base64

from odoo.tools import mute_logger

from .attack import AttackMixin
from .common import PNG, KlusheerenHelpdeskCase

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
GATEWAY = "odoo.addons.mail.models.mail_thread"


def raw_mail(sender, to, subject, body, message_id, in_reply_to=None, headers=(), files=(), content_type=None):
    """An RFC 822 message as a mail server hands it over (CRLF line ends)."""
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Message-ID: <{message_id}>"]
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    lines += list(headers)
    lines.append("MIME-Version: 1.0")
    if not files:
        lines.append(content_type or "Content-Type: text/plain; charset=utf-8")
        return "\r\n".join(lines) + "\r\n\r\n" + body + "\r\n"
    boundary = "kh-boundary-25"
    lines.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    parts = [f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"]
    for name, data, mimetype in files:
        encoded = base64.encodebytes(data).decode().replace("\n", "\r\n")
        parts.append(
            f'--{boundary}\r\nContent-Type: {mimetype}; name="{name}"\r\n'
            f'Content-Disposition: attachment; filename="{name}"\r\n'
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n"
        )
    return "\r\n".join(lines) + "\r\n\r\n" + "".join(parts) + f"--{boundary}--\r\n"


class MailInCase(AttackMixin, KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "klusheeren.example.com"})
        cls.env.company.alias_domain_id = cls.alias_domain
        cls.team.alias_id.alias_domain_id = cls.alias_domain
        cls.alias = cls.team.alias_id.alias_full_name  # storingen@klusheeren.example.com

    def process(self, raw):
        return self.env["mail.thread"].message_process(False, raw)

    def messages(self, record):
        return self.env["mail.message"].search([("model", "=", record._name), ("res_id", "=", record.id)], order="id")

    def notified(self, message, partner):
        return self.env["mail.notification"].search(
            [("mail_message_id", "=", message.id), ("res_partner_id", "=", partner.id)]
        )


class TestWorkOrderReplies(MailInCase):
    def setUp(self):
        super().setUp()
        self.ticket = self.report()
        self.order = self.ticket.work_order_ids
        self.order.user_id = self.backoffice
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_reminder")
        template.send_mail(self.order.id, email_layout_xmlid="mail.mail_notification_light")
        self.sent = self.mails(model="klusheeren.work.order", res_id=self.order.id)[-1]
        self.assertTrue(self.sent.message_id)

    def reply(self, sender="Jansen planning <planning@jansen.example.com>", body="Wij komen morgen.", **kw):
        kw.setdefault("message_id", f"reply-{len(self.messages(self.order))}@jansen.example.com")
        return raw_mail(
            sender, "info@klusheeren.nl", f"Re: {self.order.name}", body, in_reply_to=self.sent.message_id, **kw
        )

    def test_contractor_reply_is_the_contractors_message(self):
        state = self.order.state
        before = self.messages(self.order)
        self.process(self.reply())
        new = self.messages(self.order) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.author_id, self.contractor)
        self.assertEqual(new.message_type, "email")
        self.assertEqual(new.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(new.is_internal, "shown on the contractor's page")
        self.assertIn("Wij komen morgen.", new.body)
        self.assertTrue(self.notified(new, self.backoffice.partner_id), "the responsible is notified")
        self.assertEqual(self.order.state, state, "a reply changes nothing of the order")

    def test_reply_of_a_contractors_contact(self):
        colleague = self.env["res.partner"].create(
            {"name": "Piet Jansen", "email": "piet@jansen.example.com", "parent_id": self.contractor.id}
        )
        before = self.messages(self.order)
        self.process(self.reply(sender="Piet <piet@jansen.example.com>"))
        new = self.messages(self.order) - before
        self.assertEqual(new.author_id, colleague)
        self.assertFalse(new.is_internal)

    def test_outside_reply_is_a_note_for_the_back_office(self):
        stranger = self.env["res.partner"].create({"name": "Iemand Anders", "email": "iemand@elders.example.com"})
        before = self.messages(self.order)
        with self.assertNothingChangesButMessages():
            self.process(self.reply(sender="Jansen <iemand@elders.example.com>", body="Ik doe het wel."))
        new = self.messages(self.order) - before
        self.assertEqual(len(new), 1)
        self.assertTrue(new.is_internal)
        self.assertEqual(new.subtype_id, self.env.ref("mail.mt_note"))
        self.assertNotEqual(new.author_id, self.contractor)
        self.assertEqual(new.author_id, stranger)
        self.assertIn("not an address of the contractor", new.body)
        self.assertTrue(self.notified(new, self.backoffice.partner_id))
        self.assertFalse(self.notified(new, self.contractor))

    def test_outside_reply_from_an_unknown_address(self):
        before = self.messages(self.order)
        self.process(self.reply(sender="planning@jansen-fake.example.com"))
        new = self.messages(self.order) - before
        self.assertTrue(new.is_internal)
        self.assertFalse(new.author_id)
        self.assertIn("planning@jansen-fake.example.com", new.body)

    def test_back_office_reply_by_mail_is_a_note(self):
        before = self.messages(self.order)
        self.process(self.reply(sender="Collega <mgr@klusheeren.example.com>", body="Ik bel ze wel."))
        new = self.messages(self.order) - before
        self.assertEqual(new.author_id, self.manager.partner_id)
        self.assertTrue(new.is_internal)
        self.assertNotIn("not an address of the contractor", new.body)

    def test_files_go_through_the_upload_policy(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_equipment.upload_max_mb", 1)
        big = PNG + b"\x00" * (1024 * 1024)
        files = [
            ("lek.png", PNG, "image/png"),
            ("factuur.exe", EXE, "application/pdf"),
            ("groot.png", big, "image/png"),
        ]
        before = self.messages(self.order)
        self.process(self.reply(files=files))
        new = self.messages(self.order) - before
        self.assertEqual(new.attachment_ids.mapped("name"), ["lek.png"])
        self.assertIn("factuur.exe is not a photo or a PDF", new.body)
        self.assertIn("groot.png is larger than 1 MB", new.body)
        self.assertFalse(self.env["ir.attachment"].search([("name", "in", ("factuur.exe", "groot.png"))]))

    def test_machines_mail_never_posts_nor_notifies(self):
        cases = {
            "out of office": ["Auto-Submitted: auto-replied"],
            "auto-generated": ["Auto-Submitted: auto-generated"],
            "x-autoreply": ["X-Autoreply: yes"],
            "x-autorespond": ["X-Autorespond: Afwezig"],
            "bulk": ["Precedence: bulk"],
            "junk": ["Precedence: junk"],
            "list": ["Precedence: list"],
        }
        for n, (case, headers) in enumerate(cases.items()):
            with self.subTest(case), self.assertNothingChanges(), mute_logger("odoo.addons.klusheeren_helpdesk"):
                self.process(self.reply(headers=headers, message_id=f"auto-{n}@jansen.example.com", body="Afwezig"))
        # an ordinary mail saying "Auto-Submitted: no" is a person's
        before = self.messages(self.order)
        self.process(self.reply(headers=["Auto-Submitted: no"]))
        self.assertEqual(len(self.messages(self.order) - before), 1)

    def test_bounce_never_posts(self):
        bounce = raw_mail(
            "MAILER-DAEMON@mx.jansen.example.com",
            "info@klusheeren.nl",
            "Undelivered Mail Returned to Sender",
            "The mail could not be delivered.",
            "bounce-1@mx.jansen.example.com",
            in_reply_to=self.sent.message_id,
        )
        with self.assertNothingChangesButNotifications(), mute_logger(GATEWAY):
            self.assertFalse(self.process(bounce))

    def test_reporter_reply_to_the_done_mail_reopens_the_ticket(self):
        self.order.action_accept()
        self.order.action_done()
        self.assertEqual(self.ticket.stage_id, self.stage("resolved"))
        done = self.mails(model="klusheeren.work.order", res_id=self.order.id).filtered(
            lambda m: self.ticket.partner_id in m.recipient_ids
        )[-1]
        order_before, ticket_before = self.messages(self.order), self.messages(self.ticket)
        raw = raw_mail(
            "Douwe Demo <douwe@example.com>",
            "info@klusheeren.nl",
            "Re: klaar",
            "Hij lekt nog steeds.",
            "douwe-1@example.com",
            in_reply_to=done.message_id,
        )
        self.process(raw)
        self.assertEqual(self.messages(self.order), order_before, "not on the work order")
        new = self.messages(self.ticket) - ticket_before
        comment = new.filtered(lambda m: m.message_type == "email")
        self.assertEqual(comment.author_id, self.ticket.partner_id)
        self.assertFalse(comment.is_internal)
        self.assertIn("Hij lekt nog steeds.", comment.body)
        self.assertEqual(self.ticket.stage_id, self.stage("first_line"), "reopened, as by a comment")

    # -- helpers: what may change -------------------------------------------------------------------
    def assertNothingChangesButMessages(self):
        return self._nothing_but("messages", "mail_mail", "attachments")

    def assertNothingChangesButNotifications(self):
        return self._nothing_but()

    def _nothing_but(self, *names):
        saved = self.FINGERPRINT_SQL
        self.FINGERPRINT_SQL = {k: v for k, v in saved.items() if k not in names}
        self.addCleanup(setattr, self, "FINGERPRINT_SQL", saved)
        return self.assertNothingChanges()


class TestTicketReplies(MailInCase):
    def test_reporter_reply_to_a_ticket_mail_reopens_it(self):
        ticket = self.report(equipment=self.equipment_none)
        self.send_pending()  # the reporter's confirmation
        ack = self.mails(model="helpdesk.ticket", res_id=ticket.id).filtered(
            lambda m: ticket.partner_id in m.recipient_ids
        )[:1]
        self.assertTrue(ack)
        ticket._klusheeren_set_stage("resolved", notify=False)
        raw = raw_mail(
            "Douwe <douwe@example.com>",
            self.alias,
            "Re: melding",
            "Nog niet opgelost.",
            "douwe-2@example.com",
            in_reply_to=ack.message_id,
        )
        before = self.messages(ticket)
        self.process(raw)
        new = (self.messages(ticket) - before).filtered(lambda m: m.message_type == "email")
        self.assertEqual(new.author_id, ticket.partner_id)
        self.assertEqual(ticket.stage_id, self.stage("first_line"))
        self.assertEqual(ticket.klusheeren_reopen_count, 1)

    def test_auto_reply_to_a_ticket_mail_never_posts(self):
        ticket = self.report(equipment=self.equipment_none)
        self.send_pending()
        ack = self.mails(model="helpdesk.ticket", res_id=ticket.id)[:1]
        ticket._klusheeren_set_stage("resolved", notify=False)
        raw = raw_mail(
            "Douwe <douwe@example.com>",
            self.alias,
            "Afwezig",
            "Ik ben afwezig.",
            "douwe-ooo@example.com",
            in_reply_to=ack.message_id,
            headers=["Auto-Submitted: auto-replied"],
        )
        with self.assertNothingChanges(), mute_logger("odoo.addons.klusheeren_helpdesk"):
            self.process(raw)
        self.assertEqual(ticket.stage_id, self.stage("resolved"), "not reopened by a machine")


class TestMailToTheAlias(MailInCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Klant Eén B.V.", "is_company": True, "email": "info@klant.example.com"})
        cls.site.parent_id = cls.customer
        cls.employee = Partner.create(
            {"name": "Karin Klant", "email": "karin@klant.example.com", "parent_id": cls.customer.id}
        )
        cls.north = cls.env["helpdesk.ticket.team"].create({"name": "Noord", "user_ids": [(4, cls.manager.id)]})
        cls.rule = cls.env["klusheeren.responsibility"].create(
            {"name": "Klant Eén", "partner_id": cls.customer.id, "team_id": cls.north.id, "user_id": cls.manager.id}
        )
        # (equipment gets a bound sticker of its own when it is created)
        cls.equipment_en.serial_no = "BX-2024-0917"

    def mail_in(self, sender, subject, body, n, **kw):
        tickets = self.Ticket.search([]).ids
        self.process(raw_mail(sender, self.alias, subject, body, f"in-{n}@example.com", **kw))
        return self.Ticket.search([("id", "not in", tickets)])

    def test_known_sender_is_routed_for_its_company(self):
        ticket = self.mail_in("Karin <karin@klant.example.com>", "Lamp kapot", "De lamp in de hal is kapot.", 1)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.employee)
        self.assertEqual(ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email"))
        self.assertEqual(ticket.sudo().responsibility_id, self.rule)
        self.assertEqual((ticket.team_id, ticket.user_id), (self.north, self.manager))

    def test_sticker_code_links_the_equipment(self):
        code = self.equipment.sticker_id.name
        ticket = self.mail_in("Karin <karin@klant.example.com>", f"Storing {code.lower()}", "Hij koelt niet.", 2)
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.site_id, self.site)
        self.assertEqual(ticket.sudo().responsibility_id, self.rule, "the site's customer")
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor)
        self.assertTrue(ticket.work_order_ids.mail_pending, "sent to the equipment's contractor")

    def test_serial_number_in_the_body_links_the_equipment(self):
        ticket = self.mail_in("karin@klant.example.com", "Boiler", "Boiler (serienummer BX-2024-0917) lekt.", 3)
        self.assertEqual(ticket.equipment_id, self.equipment_en)
        # a number that names nothing links nothing
        ticket = self.mail_in("karin@klant.example.com", "Boiler KH-S-999999", "Serie ZZ-0000-0000.", 4)
        self.assertFalse(ticket.equipment_id)

    def test_unknown_sender_never_binds_to_an_existing_contact(self):
        partners = self.env["res.partner"].search([])
        fingerprint = {p.id: (p.name, p.email, p.phone, p.parent_id.id) for p in self.env["res.partner"].search([])}
        ticket = self.mail_in(
            "Karin Klant <karin@nieuw.example.com>",
            "Deur klemt",
            "De voordeur klemt.",
            5,
            headers=["Cc: Karin Klant <karin@klant.example.com>, info@klant.example.com"],
        )
        self.assertEqual(len(ticket), 1)
        new = self.env["res.partner"].search([]) - partners
        self.assertEqual(ticket.partner_id, new)
        self.assertEqual((new.name, new.email), ("Karin Klant", "karin@nieuw.example.com"))
        self.assertTrue(new.klusheeren_reporter_contact)
        self.assertFalse(ticket.message_partner_ids & (self.employee | self.customer), "Cc'd contacts follow nothing")
        for partner in partners:
            self.assertEqual(
                fingerprint[partner.id], (partner.name, partner.email, partner.phone, partner.parent_id.id)
            )
        self.send_pending()
        self.assertTrue(self.mails_to(new), "the sender is acknowledged")

    def test_headers_stay_on_one_line(self):
        ticket = self.mail_in(
            "=?utf-8?q?Jan=09de_Vries?= <jan@nieuw.example.com>",
            "=?utf-8?q?Lek=0Bin_de=0Ckeuken?=",
            "Er lekt water.",
            6,
        )
        for value in (ticket.name, ticket.partner_name, ticket.partner_id.name, ticket.partner_email):
            self.assertFalse(any(ch in value for ch in "\r\n\t\x0b\x0c"), repr(value))

    def test_auto_reply_and_bulk_make_no_ticket(self):
        for n, header in enumerate(["Auto-Submitted: auto-replied", "Precedence: bulk", "X-Autoreply: yes"]):
            with self.subTest(header), self.assertNothingChanges(), mute_logger("odoo.addons.klusheeren_helpdesk"):
                self.assertFalse(
                    self.mail_in("karin@klant.example.com", "Afwezig", "Ik ben afwezig.", 10 + n, headers=[header])
                )

    def test_files_of_a_new_ticket_go_through_the_upload_policy(self):
        ticket = self.mail_in(
            "karin@klant.example.com",
            "Foto's",
            "Zie bijlagen.",
            20,
            files=[("foto.png", PNG, "image/png"), ("script.html", b"<html><script>x</script></html>", "text/html")],
        )
        files = self.env["ir.attachment"].search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual(files.mapped("name"), ["foto.png"])
        message = self.messages(ticket).filtered(lambda m: m.message_type == "email")
        self.assertIn("script.html is not a photo or a PDF", message.body)
