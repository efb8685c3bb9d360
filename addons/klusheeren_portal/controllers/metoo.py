# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""'Me too' at the sticker (issue 24): the visitor who has the same problem as an open report
asks to be kept informed instead of reporting it again; their own link follows or stops it."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .limits import action_allowed, too_many
from .qr_report import session_thanks

HONEYPOT = "kh_website"
METOO_KEY = "klusheeren_metoo"


class MeTooController(http.Controller):
    @staticmethod
    def _klusheeren_sticker(token):
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        if not sticker or sticker.state != "bound" or not sticker.equipment_id:
            raise NotFound()
        return sticker

    @staticmethod
    def _klusheeren_form(sticker, status, metoo_error, metoo_post, metoo_key=None):
        """The sticker's form again, with the "me too" answer at its report."""
        # sudo: the sticker was resolved by its token (_klusheeren_sticker); this only makes a key
        # and reads the kept photos of a submission bound to that sticker
        Submission = request.env["klusheeren.report.submission"].sudo()
        values = {
            "sticker": sticker,
            "equipment": sticker.equipment_id,
            "post": {},
            "errors": {},
            "idempotency_key": Submission._klusheeren_new_key(),
            "kept": request.env["ir.attachment"],
            "metoo_error": metoo_error,
            "metoo_post": metoo_post,
            "metoo_key": metoo_key,
            "kh_form_action": f"/qr/{sticker.token}",
        }
        return request.render("klusheeren_portal.qr_report_form", values, status=status)

    @http.route(
        "/qr/<string:token>/metoo",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def qr_metoo(self, token, ticket_id=None, email=None, phone=None, metoo_key=None, **post):
        sticker = self._klusheeren_sticker(token)
        if post.get(HONEYPOT):
            # a bot filled the hidden field: answer like a success, keep nobody informed
            request.session[METOO_KEY] = {"sticker_id": sticker.id, "ticket_id": False}
            return request.redirect(f"/qr/{token}/metoo/thanks", code=303)
        # sudo: the visitor's own submission, found by the secret key its form carries and
        # bound to this sticker (resolved from its token) or refused; klusheeren.report.submission
        Submission = request.env["klusheeren.report.submission"].sudo()
        key_ok = Submission._klusheeren_valid_key(metoo_key)
        typed = {"ticket_id": str(ticket_id or ""), "email": email or "", "phone": phone or ""}
        if not key_ok:
            message = request.env._(
                "This form could not be recognised (it may be an old copy). Nothing was sent: please send it again."
            )
            return self._klusheeren_form(sticker, 400, message, typed)

        def make(_kept):
            # sudo: the public user, on the sticker resolved from its token; the model checks the
            # ticket is an open report of that equipment and the address
            return (
                request.env["klusheeren.ticket.subscriber"]
                .sudo()
                ._klusheeren_subscribe(sticker.equipment_id, ticket_id, email, phone, request.env.lang)
            )

        try:
            ticket, status = Submission._klusheeren_once(
                metoo_key, make, sticker=sticker, allow=lambda: action_allowed(f"metoo:{sticker.id}")
            )
        except UserError as e:
            return self._klusheeren_form(sticker, 400, e.args[0], typed, metoo_key)
        if status == "too_many":
            return too_many()
        if status == "foreign":
            message = request.env._(
                "This form was already sent for another sticker, so nothing was done. Please send it again."
            )
            return self._klusheeren_form(sticker, 409, message, typed)
        # post/redirect/get; a repeat of the submission (status "done") answers the same
        request.session[METOO_KEY] = {"sticker_id": sticker.id, "ticket_id": ticket.id}
        return request.redirect(f"/qr/{token}/metoo/thanks", code=303)

    @http.route("/qr/<string:token>/metoo/thanks", type="http", auth="public", website=True, sitemap=False)
    def qr_metoo_thanks(self, token, **kw):
        return session_thanks(token, METOO_KEY, "klusheeren_portal.qr_metoo_thanks")

    # ------------------------------------------------------------------
    # The subscriber's own link (in every message)
    # ------------------------------------------------------------------
    @staticmethod
    def _klusheeren_subscriber(subscriber_id, token):
        return request.env["klusheeren.ticket.subscriber"]._klusheeren_from_token(subscriber_id, token)

    @staticmethod
    def _klusheeren_unknown():
        return request.render("klusheeren_portal.follow_unknown", {}, status=404)

    @http.route(
        "/klusheeren/follow/<int:subscriber_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def klusheeren_follow(self, subscriber_id, token=None, **kw):
        subscriber = self._klusheeren_subscriber(subscriber_id, token)
        if not subscriber:
            return self._klusheeren_unknown()
        return request.render("klusheeren_portal.follow_page", {"subscriber": subscriber, "token": token})

    @http.route(
        "/klusheeren/follow/<int:subscriber_id>/stop",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def klusheeren_follow_stop(self, subscriber_id, token=None, **kw):
        subscriber = self._klusheeren_subscriber(subscriber_id, token)
        if not subscriber:
            return self._klusheeren_unknown()
        subscriber._klusheeren_unsubscribe(token)
        return request.render(
            "klusheeren_portal.follow_page", {"subscriber": subscriber, "token": token, "stopped": True}
        )
