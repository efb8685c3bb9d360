"""Mail in over SMTP (issue 25), as a mail server delivers it: a real SMTP server (aiosmtpd) pipes
each message into Odoo's own mail gateway script (``mail/static/scripts/odoo-mailgate.py``, a
process of its own), which hands it to this test server over XML-RPC (``message_process``)."""

import asyncio
import smtplib
import socket
import sys

from aiosmtpd.controller import Controller

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger
from odoo.tools.misc import file_path

from .test_mail_in import MailInCase, raw_mail


class MailgateHandler:
    """Every message received is piped into the mailgate script; its exit code is the answer."""

    def __init__(self, command):
        self.command = command
        self.results = []

    async def handle_DATA(self, server, session, envelope):
        process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(envelope.original_content), timeout=120)
        self.results.append((process.returncode, out + err))
        if process.returncode:
            return f"451 the mail gateway exited with {process.returncode}"
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@tagged("post_install", "-at_install")
class TestMailgateOverSmtp(HttpCase, MailInCase):
    def setUp(self):
        super().setUp()
        # the gateway logs in as an administrator, as Odoo's mailgate setup does (it writes aliases' status)
        gate = new_test_user(
            self.env, login="kh_mailgate", password="kh_mailgate_pw1", groups="base.group_user,base.group_system"
        )
        command = [
            sys.executable,
            file_path("mail/static/scripts/odoo-mailgate.py"),
            "--database",
            self.env.cr.dbname,
            "--userid",
            str(gate.id),
            "--password",
            "kh_mailgate_pw1",
            "--host",
            "127.0.0.1",
            "--port",
            str(config["http_port"]),
        ]
        self.handler = MailgateHandler(command)
        self.smtp_port = free_port()
        controller = Controller(self.handler, hostname="127.0.0.1", port=self.smtp_port)
        controller.start()
        self.addCleanup(controller.stop)

    def deliver(self, raw, sender, recipient):
        """Over SMTP; the mailgate process's XML-RPC request has no test cookie: this test server
        takes every request while the message is delivered (as odoo.tests' XML-RPC transport)."""
        self.env.flush_all()
        try:
            with self.allow_requests(all_requests=True):
                with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=180) as smtp:
                    smtp.sendmail(sender, [recipient], raw.encode())
        finally:
            self.http_request_allow_all = False
        self.assertEqual(self.handler.results[-1][0], 0, self.handler.results[-1][1])
        self.env.invalidate_all()

    def test_mail_over_smtp_through_the_mailgate_script(self):
        # a mail to the team's alias naming a sticker: a ticket for that equipment, a work order sent
        tickets = self.Ticket.search([]).ids
        code = self.equipment.sticker_id.name
        raw = raw_mail(
            "Karin <karin@klant.example.com>",
            self.alias,
            f"Storing {code}",
            "De koelkast koelt niet.",
            "smtp-1@example.com",
        )
        self.deliver(raw, "karin@klant.example.com", self.alias)
        ticket = self.Ticket.search([("id", "not in", tickets)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.equipment_id, self.equipment)
        self.assertEqual(ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email"))
        order = ticket.work_order_ids
        self.assertEqual(order.contractor_id, self.contractor)
        self.send_pending()
        sent = self.mails(model="klusheeren.work.order", res_id=order.id)[-1]
        # the contractor's reply to the work order e-mail
        before = self.messages(order)
        reply = raw_mail(
            "Jansen <planning@jansen.example.com>",
            "info@klusheeren.nl",
            f"Re: {order.name}",
            "We bellen de locatie vandaag.",
            "smtp-2@jansen.example.com",
            in_reply_to=sent.message_id,
        )
        self.deliver(reply, "planning@jansen.example.com", "info@klusheeren.nl")
        new = self.messages(order) - before
        self.assertEqual(new.author_id, self.contractor)
        self.assertFalse(new.is_internal)
        self.assertEqual(order.state, "sent")
        # its out-of-office reply: accepted by the server, posted nowhere
        ooo = raw_mail(
            "Jansen <planning@jansen.example.com>",
            "info@klusheeren.nl",
            f"Automatisch antwoord: {order.name}",
            "Ik ben afwezig tot maandag.",
            "smtp-3@jansen.example.com",
            in_reply_to=sent.message_id,
            headers=["Auto-Submitted: auto-replied", "X-Autoreply: yes"],
        )
        with self.assertNothingChanges(), mute_logger("odoo.addons.klusheeren_helpdesk"):
            self.deliver(ooo, "planning@jansen.example.com", "info@klusheeren.nl")
