"""The reporter's ticket page on the light layout (issue 21): the link of the e-mails,
``/my/ticket/<id>?access_token=…``, opened by a visitor who is not logged in. A light page that
works without JavaScript: the ticket, its status, photos, appointment, the addons' parts (rating,
complaint, pre-visit page: by inheritance of ``klusheeren_portal.reporter_ticket_page``), the
public messages rendered here and a plain comment form. Logged-in users keep helpdesk_mgmt's page."""

from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import read_uploads

from .limits import action_allowed, too_many
from .ticket import KlusheerenTicketPortal

NOTICES = ("sent", "reopened")  # ?comment=… after a comment: which message the page shows


class ReporterTicketPage(KlusheerenTicketPortal):
    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        if not request.env.user._is_public() or not access_token:
            return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
        ticket = self._klusheeren_reporter_ticket(ticket_id, access_token)
        if ticket is None:  # the same refusal as the full page's
            return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
        notice = kw.get("comment") if kw.get("comment") in NOTICES else None
        return self._klusheeren_reporter_page(ticket, access_token, kw, notice=notice)

    @http.route(
        "/my/ticket/<int:ticket_id>/comment",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def reporter_comment(self, ticket_id, access_token=None, body=None, idempotency_key=None, **kw):
        """The comment form of the light page (no JavaScript needed): posts the reporter's comment
        once per form (its idempotency key), within the rate limit of the ticket's chatter."""
        ticket = self._klusheeren_reporter_ticket(ticket_id, access_token)
        if ticket is None:
            return request.render("klusheeren_portal.ticket_denied", {}, status=404)
        files = request.httprequest.files.getlist("attachments")
        for upload in files:  # Odoo's retry of a request rewinds only the first file of a name
            upload.seek(0)
        uploads, errors = read_uploads(request.env, files)
        status = None
        resolved = ticket.stage_id == request.env.ref("klusheeren_helpdesk.stage_resolved")
        if not errors:
            try:
                status = ticket._klusheeren_reporter_comment_once(
                    idempotency_key,
                    body,
                    uploads,
                    # counted with the chatter's comments of the same link (limits.LimitedThreadController)
                    allow=lambda: action_allowed(f"helpdesk.ticket:{ticket.id}"),
                )
            except UserError as e:
                errors.append(e.args[0])
        if status == "too_many":
            return too_many()
        if status == "foreign":
            errors.append(request.env._("This form was already sent for another report, so nothing was sent."))
            idempotency_key = None  # a new form
        if errors:
            typed = {"body": str(body or "")[:5000], "idempotency_key": idempotency_key}
            return self._klusheeren_reporter_page(
                ticket, access_token, {}, comment_errors=errors, typed=typed, status=409 if status else 400
            )
        # post/redirect/get: reloading the page never sends the comment again
        reopened = (
            status == "new" and resolved and ticket.stage_id != request.env.ref("klusheeren_helpdesk.stage_resolved")
        )
        query = urlencode({"access_token": access_token, "comment": "reopened" if reopened else "sent"})
        return request.redirect(f"/my/ticket/{ticket.id}?{query}#kh_messages", code=303)

    def _klusheeren_reporter_ticket(self, ticket_id, access_token):
        """The ticket (superuser record) when ``access_token`` is its token, else None."""
        return request.env["helpdesk.ticket"]._klusheeren_from_token(ticket_id, access_token) or None

    def _klusheeren_reporter_page(
        self, ticket, access_token, kw, notice=None, comment_errors=(), typed=None, status=200
    ):
        """The light page (``kw``: the query's parameters). Its values are the full page's
        (``_ticket_get_page_view_values``: the addons add theirs there), the messages and the form's."""
        values = self._ticket_get_page_view_values(ticket, access_token, **kw)
        messages, more = ticket._klusheeren_public_messages(limit=None if kw.get("messages") == "all" else 30)
        Submission = request.env["klusheeren.report.submission"]  # a key's format, a new key: no record read
        typed = typed or {}
        key = typed.get("idempotency_key")
        if not Submission._klusheeren_valid_key(key):
            key = Submission._klusheeren_new_key()
        values.update(
            {
                "kh_messages": messages,
                "kh_more_messages": more,
                "kh_message_files": ticket._klusheeren_message_files(messages),
                "kh_notice": notice,
                "kh_comment_errors": list(dict.fromkeys(comment_errors)),
                "kh_comment_body": typed.get("body", ""),
                "kh_idempotency_key": key,
                "kh_tz": request.env.company._klusheeren_tz(),
                "kh_token_query": urlencode({"access_token": access_token}),
            }
        )
        return request.render("klusheeren_portal.reporter_ticket_page", values, status=status)
