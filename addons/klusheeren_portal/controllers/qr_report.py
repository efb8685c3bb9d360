"""The fault report form behind every bound sticker (/qr/<token>)."""

from datetime import timedelta

from odoo import fields, http
from odoo.http import request

from odoo.addons.klusheeren_equipment.controllers.main import StickerController

from .limits import counted_once, request_address

REPORTED_KEY = "klusheeren_reported"
WAIT_FOR_TICKET = timedelta(minutes=1)


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
        request.session[REPORTED_KEY] = {"sticker_id": sticker.id, "submission_id": result["submission"].id or False}
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
        """The report just sent from this browser (kept in its session) on this sticker: its
        ticket number at once, its link once the intake job has made the ticket."""
        sticker, sent = session_sent(token, REPORTED_KEY)
        if not sticker:
            return request.redirect(f"/qr/{token}" if sent is None else "/", code=303)
        # sudo: only the submission this browser's session sent on this very sticker (checked
        # above and here); the public user cannot read submissions
        submission = request.env["klusheeren.report.submission"].sudo().browse(sent.get("submission_id")).exists()
        if submission.sticker_id != sticker:
            submission = submission.browse()
        ticket = submission.ticket_id
        values = {
            "sticker": sticker,
            "equipment": sticker.equipment_id,
            "ticket": ticket,
            "number": ticket.number or submission.number,
            # still with the intake job (it takes a second): the page looks again by itself,
            # for a minute at most (a job that is down leaves the e-mail to bring the link)
            "waiting": bool(
                submission.number and not ticket and submission.date > fields.Datetime.now() - WAIT_FOR_TICKET
            ),
        }
        return request.render("klusheeren_portal.qr_report_thanks", values)


def session_sent(token, session_key):
    """``(sticker, sent)``: the bound sticker of ``token`` and what this browser's session kept
    under ``session_key`` for a form just sent on it; else an empty sticker, and ``sent`` None
    for a known sticker (back to its form) or an empty dict for an unknown one (home)."""
    sticker = request.env["klusheeren.sticker"]._find_by_token(token)
    sent = request.session.get(session_key) or {}
    if not sticker or sticker.state != "bound" or sent.get("sticker_id") != sticker.id:
        return sticker.browse(), (None if sticker else {})
    return sticker, sent


def session_thanks(token, session_key, template):
    """The thank-you page of a form just sent from this browser on sticker ``token``: the ticket
    its session kept under ``session_key``, else back to the form (or home for an unknown sticker)."""
    sticker, sent = session_sent(token, session_key)
    if not sticker:
        return request.redirect(f"/qr/{token}" if sent is None else "/", code=303)
    # sudo: only the ticket this browser's session sent on this very sticker (checked above)
    ticket = request.env["helpdesk.ticket"].sudo().browse(sent.get("ticket_id")).exists()
    values = {"sticker": sticker, "equipment": sticker.equipment_id, "ticket": ticket}
    return request.render(template, values)
