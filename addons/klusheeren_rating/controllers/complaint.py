# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import read_uploads
from odoo.addons.klusheeren_portal.controllers.limits import action_allowed, too_many
from odoo.addons.klusheeren_portal.controllers.ticket import KlusheerenTicketPortal

from ..models.klusheeren_complaint import PHOTO_MAX
from .rating import _lang_for, _token_denied


class KlusheerenComplaintController(http.Controller):
    """The contractor's complaint page: a token page, no login.

    A wrong or missing token is a plain 404 that reveals nothing. The business rules live in
    ``klusheeren.complaint.contractor_answer``.
    """

    # ------------------------------------------------------------------
    # Complaint (contractor)
    # ------------------------------------------------------------------
    @http.route(
        "/klusheeren/complaint/<int:complaint_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def complaint_page(self, complaint_id, access_token=None, **post):
        complaint = request.env["klusheeren.complaint"]._klusheeren_from_token(complaint_id, access_token)
        if not complaint:
            return _token_denied()
        request.update_context(lang=_lang_for(complaint.contractor_id))
        error, status = None, 200
        if request.httprequest.method == "POST":
            if not action_allowed(f"complaint:{complaint.id}"):
                return too_many()
            try:
                complaint.contractor_answer(post.get("feedback"))
            except UserError as e:
                error, status = e.args[0], 400
            else:
                query = urlencode({"access_token": access_token, "saved": 1})
                return request.redirect(f"/klusheeren/complaint/{complaint.id}?{query}", code=303)
        order = complaint.work_order_id
        response = request.render(
            "klusheeren_rating.complaint_page",
            {
                "complaint": complaint,
                "ticket": complaint.ticket_id,
                "order": order,
                "rating": order.klusheeren_rating_id.filtered(lambda r: r.state == "rated"),
                "timeline": complaint._klusheeren_timeline(),
                "photos": complaint._klusheeren_photos_with_token(),
                "token": access_token,
                "error": error,
                "feedback": post.get("feedback") if error else complaint.contractor_feedback,
                "saved": bool(post.get("saved")) and request.httprequest.method == "GET",
            },
        )
        response.status_code = status
        return response


class KlusheerenComplaintPortal(KlusheerenTicketPortal):
    """The complaint form on the reporter's ticket page."""

    @http.route(
        "/my/ticket/<int:ticket_id>/complaint",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def ticket_complaint(self, ticket_id, access_token=None, **post):
        ticket = request.env["helpdesk.ticket"]._klusheeren_from_login_or_token(ticket_id, access_token)
        if not ticket:
            raise NotFound()
        # a colleague of the company reads the ticket, but only the reporter complains
        if not self._klusheeren_is_reporter(ticket, access_token):
            raise NotFound()
        if not action_allowed(f"helpdesk.ticket:{ticket.id}"):
            return too_many()
        attachments, file_errors = read_uploads(
            request.env, request.httprequest.files.getlist("photos"), max_files=PHOTO_MAX
        )
        partner = None if request.env.user._is_public() else request.env.user.partner_id
        query = {"access_token": access_token} if access_token else {}
        try:
            if file_errors:
                raise UserError(" ".join(file_errors))
            request.env["klusheeren.complaint"]._klusheeren_file(
                ticket,
                post.get("reason"),
                post.get("description"),
                attachments,
                partner=partner,
            )
        except UserError as e:
            request.session["klusheeren_complaint_error"] = e.args[0]
            # nothing typed is lost: the form opens again with the reason and the description
            request.session["klusheeren_complaint_typed"] = {
                "reason": str(post.get("reason") or "")[:64],
                "description": str(post.get("description") or "")[:8000],
            }
        else:
            query["complaint"] = "sent"
        return request.redirect(f"/my/ticket/{ticket.id}?{urlencode(query)}#klusheeren_complaint", code=303)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        ticket_sudo = ticket  # the superuser record of the door (_klusheeren_from_login_or_token)
        # The reporter (with the ticket's link, or logged in as the ticket's contact) rates
        # and complains; a colleague of the company reads along.
        is_reporter = self._klusheeren_is_reporter(ticket_sudo, access_token)
        values.update(
            {
                "klusheeren_rating": ticket_sudo._klusheeren_open_rating() if is_reporter else False,
                "klusheeren_is_reporter": is_reporter,
                "klusheeren_complaints": ticket_sudo.complaint_ids
                if is_reporter
                else ticket_sudo.complaint_ids.browse(),
                "klusheeren_complaint_reasons": request.env["klusheeren.complaint"]
                ._fields["reason"]
                ._description_selection(request.env),
                "klusheeren_complaint_sent": kwargs.get("complaint") == "sent",
                "klusheeren_complaint_error": request.session.pop("klusheeren_complaint_error", None),
                "klusheeren_complaint_typed": request.session.pop("klusheeren_complaint_typed", None) or {},
                "klusheeren_access_token": access_token,
                "klusheeren_photo_max": PHOTO_MAX,
            }
        )
        return values
