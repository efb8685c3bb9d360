from email.utils import formataddr

from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_compute_author(self, author_id=None, email_from=None):
        """Messages whose author has no e-mail address get the company's as sender.

        Core leaves ``email_from`` empty then (the public user of a sticker or a token page,
        OdooBot) and counts on ``mail.catchall.domain`` + ``mail.default.from`` when sending:
        without them ``ir.mail_server.build_email`` fails ("You must either provide a sender
        address explicitly ...") and the e-mail stays in ``exception``. The visit contact's
        confirmation, a reporter's "not solved", the activity e-mail of a complaint: every
        message a public action causes is posted as the public user.
        """
        author_id, email_from = super()._message_compute_author(author_id=author_id, email_from=email_from)
        if not email_from:
            email_from = self._klusheeren_default_sender()
        return author_id, email_from

    def _notify_thread_by_email(self, message, recipients_data, **kwargs):
        """Notifications are queued, never sent by the request (or job) that posts them: core
        sends fewer than 100 at once after the commit (``force_send``), while the mail queue,
        woken by their creation (``mail.mail.create``), sends the same e-mails: two transactions
        on the same rows (a SerializationFailure in the log), a mail server's slowness or
        outage felt by the request. The queue alone sends them, within seconds."""
        kwargs["force_send"] = False
        return super(MailThread, self.with_context(mail_notify_force_send=False))._notify_thread_by_email(
            message, recipients_data, **kwargs
        )

    @api.model
    def _klusheeren_default_sender(self):
        """The company's sender: ``mail.default.from`` of its alias domain (or ``--email-from``)
        when set, as core's notifications, under the company's name; else the company's own
        address (its partner's, else its catchall). The outgoing server's ``from_filter`` is
        core's concern: an address it does not allow is replaced by the notifications address."""
        company = self.env.company
        default_from = self.env["ir.mail_server"]._get_default_from_address()
        if default_from and "@" in default_from:
            return formataddr((company.name, default_from))
        return company.email_formatted or False
