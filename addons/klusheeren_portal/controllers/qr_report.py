"""The fault report form behind every bound sticker (/qr/<token>)."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.klusheeren_base.tools.upload import MAX_FILES, read_uploads
from odoo.addons.klusheeren_equipment.controllers.main import StickerController

HONEYPOT = "kh_website"
REPORTED_KEY = "klusheeren_reported"
ALLOWED_KEY = "klusheeren.rate_limit_allowed"


class QrReportController(StickerController):
    """The fault report form behind every bound sticker."""

    def _qr_bound(self, sticker, **post):
        equipment = sticker.equipment_id
        # sudo: the public user's own submission, found by the secret key its form carries and
        # bound to this sticker (resolved from its token) or refused; see klusheeren.report.submission
        Submission = request.env["klusheeren.report.submission"].sudo()
        key = post.get("idempotency_key")
        valid_key = Submission._klusheeren_valid_key(key)
        values = {
            "sticker": sticker,
            "equipment": equipment,
            "post": post,
            "errors": {},
            "idempotency_key": key if valid_key else Submission._klusheeren_new_key(),
            "kept": request.env["ir.attachment"],
        }
        if request.httprequest.method != "POST":
            return request.render("klusheeren_portal.qr_report_form", values)
        if post.get(HONEYPOT):
            # a bot filled the hidden field: answer like a success, create nothing
            request.session[REPORTED_KEY] = {"sticker_id": sticker.id, "ticket_id": False}
            return request.redirect(f"{request.httprequest.path}/thanks", code=303)
        errors, (description, name, email, phone) = self._qr_check(post, valid_key)
        files = request.httprequest.files.getlist("attachments")
        for upload in files:  # Odoo's retry of a request rewinds only the first file of a name
            upload.seek(0)
        uploads, file_errors = read_uploads(request.env, files)
        kept = values["kept"]
        removed = [int(i) for i in request.httprequest.form.getlist("kept_remove") if str(i).isdigit()]
        if valid_key and (errors or file_errors or removed or post.get("kept")):  # a form that showed kept photos
            kept = Submission._klusheeren_resume(key, sticker, removed)
        if len(kept) + len(uploads) > MAX_FILES:
            file_errors.append(request.env._("Send at most %(n)s files.", n=MAX_FILES))
            uploads = []
        if file_errors:
            errors["attachments"] = " ".join(file_errors)
        if errors:
            # storing photos for later is an attempt too: the rate limit bounds what anyone keeps here
            if valid_key and uploads and self._klusheeren_allow(sticker):
                kept = Submission._klusheeren_keep_refused(key, sticker, uploads)
            return request.render(
                "klusheeren_portal.qr_report_form", {**values, "errors": errors, "kept": kept}, status=400
            )
        values["kept"] = kept

        def make(kept_uploads):
            # sudo: the public user reports through the sticker, resolved from its token
            return (
                request.env["helpdesk.ticket"]
                .sudo()
                ._klusheeren_create_report(
                    equipment, description, name, email, phone, kept_uploads + uploads, channel="qr"
                )
            )

        try:
            ticket, status = Submission._klusheeren_once(
                key, make, sticker=sticker, allow=lambda: self._klusheeren_allow(sticker)
            )
        except UserError as e:
            errors["form"] = e.args[0]
            return request.render("klusheeren_portal.qr_report_form", {**values, "errors": errors}, status=400)
        if status == "too_many":
            return request.render("klusheeren_portal.qr_report_too_many", values, status=429)
        if status == "foreign":
            errors["form"] = request.env._(
                "This form was already sent for another sticker, so nothing was created. Check the sticker "
                "and send the report again."
            )
            values.update(idempotency_key=Submission._klusheeren_new_key(), kept=request.env["ir.attachment"])
            return request.render("klusheeren_portal.qr_report_form", {**values, "errors": errors}, status=409)
        # post/redirect/get: reloading the thanks page never reports the fault twice; a repeat
        # of the submission (status "done") is answered with the same ticket
        request.session[REPORTED_KEY] = {"sticker_id": sticker.id, "ticket_id": ticket.id}
        return request.redirect(f"{request.httprequest.path}/thanks", code=303)

    @staticmethod
    def _qr_check(post, valid_key):
        """The typed fields of the report form, and the messages of the wrong ones."""
        errors = {}
        description = (post.get("description") or "").strip()
        name = (post.get("name") or "").strip()[:100]
        phone = (post.get("phone") or "").strip()[:40]
        email = (post.get("email") or "").strip()  # checked whole by the model (checked_email)
        if not valid_key:
            errors["form"] = request.env._(
                "This form could not be recognised (it may be an old copy). Nothing was sent: please send it again."
            )
        if not description:
            errors["description"] = request.env._("Describe the fault.")
        elif len(description) > 5000:
            errors["description"] = request.env._("Keep the description under 5000 characters.")
        if not email_normalize(email):
            errors["email"] = request.env._("Give a valid e-mail address, so that we can keep you informed.")
        return errors, (description, name, email, phone)

    @staticmethod
    def _klusheeren_allow(sticker):
        """The rate limit, counted once per request: Odoo's retry of a request after a
        concurrency failure does not count it again (the counter commits on its own)."""
        environ = request.httprequest.environ
        if ALLOWED_KEY not in environ:
            # behind a proxy, remote_addr is X-Forwarded-For as the proxy overwrote it (proxy_mode)
            address = request.httprequest.remote_addr or "unknown"
            environ[ALLOWED_KEY] = request.env["klusheeren.report.attempt"]._klusheeren_allow(address, sticker)
        return environ[ALLOWED_KEY]

    @http.route("/qr/<string:token>/thanks", type="http", auth="public", website=True, sitemap=False)
    def qr_thanks(self, token, **kw):
        """The ticket just reported from this browser (kept in its session) on this sticker."""
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        reported = request.session.get(REPORTED_KEY) or {}
        if not sticker or sticker.state != "bound" or reported.get("sticker_id") != sticker.id:
            return request.redirect(f"/qr/{token}" if sticker else "/", code=303)
        ticket = request.env["helpdesk.ticket"].sudo().browse(reported.get("ticket_id")).exists()
        values = {"sticker": sticker, "equipment": sticker.equipment_id, "ticket": ticket}
        return request.render("klusheeren_portal.qr_report_thanks", values)
