"""The fault report form behind every bound sticker (/qr/<token>)."""

from odoo import http
from odoo.http import request

from odoo.addons.klusheeren_equipment.controllers.main import StickerController

from .limits import counted_once, request_address

REPORTED_KEY = "klusheeren_reported"


class QrReportController(StickerController):
    """The fault report form behind every bound sticker."""

    def _qr_bound(self, sticker, **post):
        # sudo: the public user's own submission, found by the secret key its form carries and
        # bound to this sticker (resolved from its token) or refused; see klusheeren.report.submission
        Submission = request.env["klusheeren.report.submission"].sudo()
        values = {
            "sticker": sticker,
            "equipment": sticker.equipment_id,
            "post": post,
            "errors": {},
            "idempotency_key": post.get("idempotency_key"),
            "kept": request.env["ir.attachment"],
        }
        if request.httprequest.method != "POST":
            if not Submission._klusheeren_valid_key(values["idempotency_key"]):
                values["idempotency_key"] = Submission._klusheeren_new_key()
            return request.render("klusheeren_portal.qr_report_form", values)
        files = request.httprequest.files.getlist("attachments")
        for upload in files:  # Odoo's retry of a request rewinds only the first file of a name
            upload.seek(0)
        removed = [int(i) for i in request.httprequest.form.getlist("kept_remove") if str(i).isdigit()]
        result = Submission._klusheeren_report(
            sticker,
            post,
            files,
            removed_ids=removed,
            notify_channel=post.get("notify_channel"),
            allow=lambda: self._klusheeren_allow(sticker),
        )
        status = result["status"]
        values.update(errors=result["errors"], kept=result["kept"], idempotency_key=result["idempotency_key"])
        if status == "invalid":
            return request.render("klusheeren_portal.qr_report_form", values, status=400)
        if status == "too_many":
            return request.render("klusheeren_portal.qr_report_too_many", values, status=429)
        if status == "foreign":
            return request.render("klusheeren_portal.qr_report_form", values, status=409)
        # post/redirect/get: reloading the thanks page never reports the fault twice; a repeat
        # of the submission (status "done") is answered with the same ticket; a bot's
        # (status "ignored") is answered like a success, with nothing created
        request.session[REPORTED_KEY] = {"sticker_id": sticker.id, "ticket_id": result["ticket"].id or False}
        return request.redirect(f"{request.httprequest.path}/thanks", code=303)

    @staticmethod
    def _klusheeren_allow(sticker):
        """The QR form's own rate limit (per address and per sticker), counted once per request."""
        return counted_once(
            f"report:{sticker.id}",
            lambda: request.env["klusheeren.report.attempt"]._klusheeren_allow(request_address(), sticker),
        )

    @http.route("/qr/<string:token>/thanks", type="http", auth="public", website=True, sitemap=False)
    def qr_thanks(self, token, **kw):
        """The ticket just reported from this browser (kept in its session) on this sticker."""
        return session_thanks(token, REPORTED_KEY, "klusheeren_portal.qr_report_thanks")


def session_thanks(token, session_key, template):
    """The thank-you page of a form just sent from this browser on sticker ``token``: the ticket
    its session kept under ``session_key``, else back to the form (or home for an unknown sticker)."""
    sticker = request.env["klusheeren.sticker"]._find_by_token(token)
    sent = request.session.get(session_key) or {}
    if not sticker or sticker.state != "bound" or sent.get("sticker_id") != sticker.id:
        return request.redirect(f"/qr/{token}" if sticker else "/", code=303)
    # sudo: only the ticket this browser's session sent on this very sticker (checked above)
    ticket = request.env["helpdesk.ticket"].sudo().browse(sent.get("ticket_id")).exists()
    values = {"sticker": sticker, "equipment": sticker.equipment_id, "ticket": ticket}
    return request.render(template, values)
