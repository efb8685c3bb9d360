from odoo import SUPERUSER_ID, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools.upload import attach_uploads, check_attachments

COMMENT_MAX = 5000  # characters of a reporter's comment
MESSAGES_SHOWN = 30  # the newest public messages on the reporter's page; the rest on request


class HelpdeskTicket(models.Model):
    """The reporter's light page (issue 21): its messages and its comment, as the portal chatter
    shows and posts them with the ticket's link."""

    _inherit = "helpdesk.ticket"

    def _klusheeren_public_messages(self, limit=MESSAGES_SHOWN):
        """``(messages, more)``: the newest public messages, newest first, as the portal chatter
        fetches them for the ticket's link (``/mail/chatter_fetch``): comments and e-mails with a
        body or files, never an internal note, a log or a tracking message; ``more`` when older
        ones are left out. Called on the superuser record handed over after the token check."""
        self.ensure_one()
        Message = self.env["mail.message"]
        domain = (
            Domain(self._fields["website_message_ids"].get_comodel_domain(self))
            & Domain("res_id", "=", self.id)
            & Domain("subtype_id", "=", self.env.ref("mail.mt_comment").id)
            & (
                Domain("body", "not in", [False, '<span class="o-mail-Message-edited"></span>'])
                | Domain("attachment_ids", "!=", False)
            )
            & Message._get_search_domain_share()
        )
        messages = Message.search(domain, order="id desc", limit=limit + 1 if limit else None)
        more = bool(limit) and len(messages) > limit
        return messages[:limit] if more else messages, more

    def _klusheeren_message_files(self, messages):
        """The files of the public ``messages``, each with its access token (as the portal
        chatter gives them) for the page's links: ``{message id: attachments}``."""
        self.ensure_one()
        files = {}
        for message in messages:
            attachments = message.attachment_ids.filtered(lambda a, t=self: a.res_model == t._name and a.res_id == t.id)
            for attachment in attachments:
                attachment.generate_access_token()
            files[message.id] = attachments
        return files

    def _klusheeren_reporter_comment_once(self, key, body, uploads=(), allow=None):
        """The reporter's comment of the form carrying the idempotency ``key``, posted once however
        often it arrives (``klusheeren.report.submission``: the key is bound to this ticket).
        ``allow()`` (the rate limit) is asked only when the comment is to be posted. Returns the
        status: ``new`` (posted now), ``done`` (a repeat: posted before, nothing more),
        ``foreign`` (the key belongs to another form: nothing posted) or ``too_many``.
        Called on the superuser record handed over after the token check."""
        self.ensure_one()
        Submission = self.env["klusheeren.report.submission"]
        if not Submission._klusheeren_valid_key(key):
            raise UserError(
                self.env._(
                    "This form could not be recognised (it may be an old copy). Nothing was sent: please send it again."
                )
            )

        def make(_kept_uploads):
            self._klusheeren_reporter_comment(body, uploads)
            return self

        ticket, status = Submission._klusheeren_once(key, make, allow=allow)
        if status == "done" and ticket != self:
            status = "foreign"
        return status

    def _klusheeren_reporter_comment(self, body, uploads=()):
        """The reporter's comment from its page without JavaScript: posted as the portal chatter
        posts it with the ticket's link (``/mail/message/post`` with the token): by the ticket's
        contact, a comment, without making anyone a follower. A resolved ticket reopens as for
        any answer of the reporter (``_message_post_after_hook``, klusheeren_helpdesk).
        ``uploads``: ``[(name, bytes, mimetype)]``, judged by the upload policy here.
        Called on the superuser record handed over after the token check; returns the message."""
        self.ensure_one()
        if body is not None and not isinstance(body, str):
            raise UserError(self.env._("A text was expected."))
        body = (body or "").strip()
        if len(body) > COMMENT_MAX:
            raise UserError(self.env._("Keep your comment under %(n)s characters.", n=COMMENT_MAX))
        uploads = check_attachments(self.env, uploads)
        if not body and not uploads:
            raise UserError(self.env._("Write a comment or add a photo."))
        # the author the portal gives a visitor with the ticket's link (portal's get_portal_partner)
        author = self._mail_get_partners()[self.id][:1]
        # as the superuser, the record core's _document_check_access hands the portal's pages:
        # message_post keeps the attachments of a visitor (checked above) only for internal users
        ticket = self.with_user(SUPERUSER_ID)
        attachments = attach_uploads(ticket, uploads, checked=True)
        return ticket.with_context(mail_post_autofollow_author_skip=True, mail_post_autofollow=False).message_post(
            body=plaintext2html(body) if body else "",
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
