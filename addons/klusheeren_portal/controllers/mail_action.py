# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The "Accept" and "Refuse…" buttons of the work order e-mails (issue 25). Mail scanners open
every link of an e-mail, so the link (GET) only shows a confirmation page with one button; its
POST (CSRF-protected, rate-limited) acts through the work order's transitions. The link, its
signature and its checks are the model's (``klusheeren.work.order._klusheeren_from_action_link``):
a forged, used or outdated link gets the same page as an unknown token and changes nothing."""

from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .limits import action_allowed, too_many

# the work order page's notice of the last action (the page reads it from the session)
NOTICE_KEY = "klusheeren_work_order_notice"
REASON_MAX = 5000


class WorkOrderMailAction(http.Controller):
    @http.route(
        "/my/work-orders/<int:order_id>/mail/<string:action>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def work_order_mail_action(self, order_id, action, signature=None, reason=None, **kw):
        WorkOrder = request.env["klusheeren.work.order"]
        order = WorkOrder._klusheeren_from_action_link(order_id, action, signature)
        if not order:
            return request.render("klusheeren_portal.work_order_denied", {}, status=403)
        values = {"order": order, "action": action, "signature": signature, "reason": "", "error": None}
        if request.httprequest.method != "POST":
            return request.render("klusheeren_portal.work_order_mail_action", values)
        if not action_allowed(f"work_order:{order.id}"):
            return too_many()
        reason = str(reason or "")[:REASON_MAX]
        try:
            with request.env.cr.savepoint():  # a refused action changes nothing
                done = WorkOrder._klusheeren_mail_action(order.id, action, signature, reason=reason)
        except UserError as error:
            values.update(reason=reason, error=error.args[0])
            return request.render("klusheeren_portal.work_order_mail_action", values, status=400)
        if not done:
            return request.render("klusheeren_portal.work_order_denied", {}, status=403)
        if action == "accept":
            notice = request.env._("Accepted. Please contact the location within 24 hours.")
        else:
            notice = request.env._("Refused.")
        request.session[NOTICE_KEY] = {"order_id": done.id, "message": notice}
        # the contractor lands on the work order page, opened with its token (the link only signed it)
        query = urlencode({"access_token": done.access_token})
        return request.redirect(f"/my/work-orders/{done.id}?{query}", code=303)
