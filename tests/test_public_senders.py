"""End to end: every e-mail a public visitor's action causes has a sender and leaves.

The visit contact's confirmation and remark, the reporter's "not solved" and the complaint's
follow-up are posted as the public user, who has no e-mail address. Each of them is queued and
sent through the real mail queue (``mail.mail.send``, Odoo's SMTP layer with a mocked socket),
once on a bare database (no ``mail.catchall.domain``, no ``mail.default.from``, no outgoing
server) and once configured as a real server is (an alias domain with its default from, an
outgoing server with its own ``from_filter``): none may end in ``exception``, and each reaches
the people it was meant for.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.base.tests.common import MockSmtplibCase
from odoo.addons.klusheeren_visit.tests.common import VisitCase


@tagged("post_install", "-at_install")
class TestPublicActionSenders(VisitCase, MockSmtplibCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.env.ref("base.public_user")
        cls.env.company.alias_domain_id = False
        cls.env["mail.alias.domain"].search([]).unlink()
        cls.env["ir.mail_server"].search([]).unlink()
        cls.env["ir.config_parameter"].sudo().set_param("mail.default.from_filter", False)

    def _public_actions(self):
        """What visitors do on their token pages (the pages' own calls, as the public user);
        returns the e-mails queued by them."""
        before = self.Mail.search([]).ids
        order = self.new_order(email="fenna@example.com")
        visit = self.plan(order, fields.Datetime.now() + timedelta(days=5))
        queued = self.Mail.search([("id", "not in", before)])
        Visit = self.env["klusheeren.visit"].with_user(self.public)
        Visit.browse(visit.id).portal_confirm(visit.access_token)
        Visit.browse(visit.id).portal_add_remark(visit.access_token, "Hond", "Er loopt een hond rond.")
        order.action_done()  # the reporter is asked for a rating
        rating = order.klusheeren_rating_id
        # as the rating page does: the record its token door hands over
        Rating = self.env["klusheeren.rating"].with_user(self.public)
        Rating._klusheeren_from_token(rating.id, rating.sudo().access_token).action_submit(
            {"speed": "2", "communication": "2", "quality": "1", "solved": "no", "comment": "Lekt nog"}
        )
        ticket = order.ticket_id
        ticket.user_id = self.backoffice  # the complaint's follow-up is the responsible's activity
        self.env["klusheeren.complaint"].with_user(self.public)._klusheeren_file(
            ticket, "quality", "Het lekt nog steeds."
        )
        caused = self.Mail.search([("id", "not in", before + queued.ids)])
        return order, caused

    def _assert_all_leave(self, expected_from):
        order, mails = self._public_actions()
        self.assertFalse(mails.filtered(lambda m: not m.email_from), "every e-mail has a sender")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        public_mails = mails.filtered(lambda m: m.author_id == self.public.partner_id)
        self.assertTrue(public_mails, "the public user's messages are e-mailed")
        # the messages (notes, activities) get the default sender; the templates name the company's
        senders = set(public_mails.mapped("email_from"))
        self.assertIn(expected_from, senders)
        self.assertLessEqual(senders, {expected_from, self.env.company.email_formatted}, public_mails.mapped("subject"))
        recipients = {p.email for m in mails for p in m.recipient_ids} | set(mails.mapped("email_to"))
        # the responsible (remark, confirmation, not solved, complaint), the contractor
        self.assertIn(self.backoffice.email, recipients)
        self.assertIn(order.contractor_id.email, recipients)
        ids = mails.ids
        # Odoo sends one message per recipient partner, and one for the plain addresses
        expected = sum(len(m.recipient_ids) + (1 if m.email_to else 0) for m in mails)
        with self.mock_smtplib_connection():
            mails.send(raise_exception=False)
        left = self.Mail.browse(ids).exists()
        self.assertFalse(left.filtered(lambda m: m.state == "exception"), left.mapped("failure_reason"))
        self.assertEqual(set(left.mapped("state")), {"sent"} if left else set())
        delivered = {addr for email in self.emails for addr in email["smtp_to_list"]}
        self.assertIn(self.backoffice.email, delivered)
        self.assertIn(order.contractor_id.email, delivered)
        self.assertEqual(len(self.emails), expected, "each e-mail sent once to each recipient")
        return self.emails

    def test_bare_database(self):
        """No catchall domain, no default from, no outgoing server: the company's address."""
        self._assert_all_leave('"KlusHeeren b.v." <info@klusheeren.nl>')

    def test_configured_server(self):
        """A catchall domain with its default from, an outgoing server that only sends for it."""
        domain = self.env["mail.alias.domain"].create(
            {"name": "klusheeren.example.com", "catchall_alias": "catchall", "default_from": "notifications"}
        )
        self.env.company.alias_domain_id = domain
        server = self.env["ir.mail_server"].create(
            {"name": "Relay", "smtp_host": "smtp.klusheeren.example.com", "from_filter": "klusheeren.example.com"}
        )
        emails = self._assert_all_leave('"KlusHeeren b.v." <notifications@klusheeren.example.com>')
        for email in emails:
            self.assertEqual(email["from_filter"], server.from_filter)
            # core puts the notifications address where the server may not send for the company's
            self.assertTrue(email["smtp_from"].endswith("@klusheeren.example.com"), email["smtp_from"])
            self.assertIn("@klusheeren.example.com", email["msg_from"])
