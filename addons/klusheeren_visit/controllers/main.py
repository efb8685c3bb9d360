# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import read_uploads
from odoo.addons.klusheeren_portal.controllers.limits import action_allowed, too_many

from ..models.res_partner import CHANNELS

NOTICE_KEY = "klusheeren_visit_notice"
KEPT_FIELDS = ("moments", "subject", "description", "phone", "email", "channel")


def _lang_for(partner):
    """The contact's language when it is installed, else the visitor's."""
    installed = {code for code, _name in request.env["res.lang"].get_installed()}
    return partner.lang if partner.lang in installed else request.env.lang


class VisitPortal(http.Controller):
    """The pre-visit page: reached with the visit's own token (never the contractor's).

    A missing visit, a missing token and a wrong token get the same 404 page, with no data.
    Every action is a model method that checks the token itself (``klusheeren.visit.portal_*``).
    """

    def _denied(self):
        return request.render("klusheeren_visit.visit_denied", {}, status=404)

    @http.route("/my/visits/<int:visit_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def visit_page(self, visit_id, access_token=None, **kw):
        visit = request.env["klusheeren.visit"]._klusheeren_from_token(visit_id, access_token)
        if not visit:
            return self._denied()
        request.update_context(lang=_lang_for(visit.partner_id))
        visit = visit.with_context(lang=request.env.lang)
        notice = request.session.pop(NOTICE_KEY, None) or {}
        if notice.get("visit_id") != visit.id:
            notice = {}
        options = visit._klusheeren_options()
        values = {
            "visit": visit,
            "order": visit.work_order_id,
            "partner": visit.partner_id,
            "access_token": access_token,
            "appointment": visit._klusheeren_format_appointment(request.env.lang),
            "lines": visit._klusheeren_planned_lines(),
            "options": options,
            "answers": {s.option_id.id: s for s in visit.service_ids},
            "channels": [(key, dict(CHANNELS)[key]) for key, _label in CHANNELS],
            "channel_labels": dict(
                request.env["res.partner"]._fields["klusheeren_notify_channel"]._description_selection(request.env)
            ),
            "message": notice.get("message"),
            "error": notice.get("error"),
            "typed": notice.get("form") or {},
            "is_open": visit.work_order_id.state in ("sent", "accepted", "on_hold"),
        }
        values["total_incl"] = sum(line["price_incl"] for line in values["lines"])
        return request.render("klusheeren_visit.visit_page", values)

    @http.route(
        "/my/visits/<int:visit_id>/update", type="http", auth="public", methods=["POST"], website=True, sitemap=False
    )
    def visit_update(self, visit_id, access_token=None, action=None, **post):
        visit = request.env["klusheeren.visit"]._klusheeren_from_token(visit_id, access_token)
        if not visit:
            return self._denied()
        request.update_context(lang=_lang_for(visit.partner_id))
        if not action_allowed(f"visit:{visit.id}"):
            return too_many()
        # the model methods check the token themselves; called on the visit as the visitor
        record = request.env["klusheeren.visit"].browse(visit.id)
        try:
            with request.env.cr.savepoint():  # a refused action changes nothing
                if action == "confirm":
                    done = record.portal_confirm(access_token)
                    notice = (
                        request.env._("Thank you: the appointment is confirmed.")
                        if done
                        else request.env._("The appointment was already confirmed.")
                    )
                elif action == "reschedule":
                    record.portal_reschedule(access_token, post.get("moments"))
                    notice = request.env._("Your request has been sent: the contractor will propose a new time.")
                elif action == "contact":
                    changed = record.portal_update_contact(
                        access_token, post.get("phone"), post.get("email"), post.get("channel")
                    )
                    notice = (
                        request.env._("Your contact details have been saved.")
                        if changed
                        else request.env._("Nothing was changed.")
                    )
                elif action == "remark":
                    uploads, errors = read_uploads(request.env, request.httprequest.files.getlist("attachments"))
                    if errors:
                        raise UserError(" ".join(errors))
                    record.portal_add_remark(
                        access_token,
                        post.get("subject"),
                        post.get("description"),
                        uploads,
                        visible=post.get("visible_to_contractor") == "on",
                    )
                    notice = request.env._("Thank you: your remark has been added.")
                elif action in ("accept", "ask"):
                    record.portal_answer_option(
                        access_token, post.get("option_id"), "accepted" if action == "accept" else "contact"
                    )
                    notice = (
                        request.env._("Thank you: the service has been added to your appointment.")
                        if action == "accept"
                        else request.env._("We will contact you about this service.")
                    )
                else:
                    raise UserError(request.env._("Unknown action."))
        except (UserError, ValidationError, AccessError) as e:
            typed = {key: str(post[key])[:5000] for key in KEPT_FIELDS if key in post}
            request.session[NOTICE_KEY] = {
                "visit_id": visit.id,
                "error": str(e.args[0] if e.args else e),
                "form": typed,
            }
        else:
            request.session[NOTICE_KEY] = {"visit_id": visit.id, "message": notice}
        query = urlencode({"access_token": access_token})
        return request.redirect(f"/my/visits/{visit.id}?{query}", code=303)
