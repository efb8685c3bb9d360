"""Replies by e-mail on the contractor's page (issue 25): the contractor's reply shows there, an
outside message (another address) never does."""

from odoo.tests import tagged

from odoo.addons.klusheeren_helpdesk.tests.test_mail_in import raw_mail

from .common import XSS, KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestMailReplyOnThePage(KlusheerenPortalCase):
    def test_the_contractors_reply_shows_on_its_page(self):
        order = self.report().work_order_ids
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_reminder")
        template.send_mail(order.id, email_layout_xmlid="mail.mail_notification_light")
        sent = self.mails(model="klusheeren.work.order", res_id=order.id)[-1]
        for n, (sender, body) in enumerate(
            [
                ("Jansen <planning@jansen.example.com>", "Wij komen donderdag om 9 uur."),
                ("Jansen <planning@jansen-elders.example.com>", "Stuur de opdracht maar naar ons."),
                ("Jansen <planning@jansen.example.com>", XSS),
            ]
        ):
            subject = f"Re: {order.name}"
            raw = raw_mail(
                sender, "info@klusheeren.nl", subject, body, f"page-{n}@example.com", in_reply_to=sent.message_id
            )
            self.env["mail.thread"].message_process(False, raw)
        page = self.url_open(self.work_order_url(order))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Wij komen donderdag om 9 uur.", page.text)
        outside = "Stuur de opdracht maar naar ons."
        self.assertNotIn(outside, page.text, "an outside message is for the back office only")
        self.assertNotIn("jansen-elders", page.text)
        self.assertInert(page.text, "a mailed reply on the contractor's page")
