"""The contractor's pages (/my/work-orders...)."""

import re
from urllib.parse import urlencode

import pytz
from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import read_uploads
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .limits import action_allowed, too_many

NOTICE_KEY = "klusheeren_work_order_notice"
LINE_KEY = re.compile(r"^line-(\d{1,3})-(id|line_type|product_id|name|quantity|uom_id|price_unit|remove)$")
NEW_LINE_ROWS = 2  # empty rows under the lines, for new ones
KEPT_FIELDS = (
    "appointment_date",
    "contractor_remarks",
    "amount_total",
    "contractor_reference",
    "warranty",
    "body",
    "reason",
)


def _decimal_input(percent, value):
    """A number as a form field shows it, in the page's language (``res.lang.format``): "45,00" on a
    Dutch page. No thousands separator: the parser takes a comma or a point as the decimal one."""
    lang = request.env["res.lang"]._lang_get(request.env.lang or "en_US")
    return lang.format(percent, value) if lang else percent % value


class WorkOrderPortal(CustomerPortal):
    """The contractor's page: reached with the token of the e-mail, or logged in."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "work_order_count" in counters:
            WorkOrder = request.env["klusheeren.work.order"]
            values["work_order_count"] = WorkOrder.search_count([]) if WorkOrder.has_access("read") else 0
        return values

    def _work_order_or_error(self, order_id, access_token):
        """The work order (superuser record) when the login or the token opens it, else None.
        An unknown number and a wrong token answer alike: the page reveals nothing."""
        return request.env["klusheeren.work.order"]._klusheeren_from_login_or_token(order_id, access_token) or None

    @staticmethod
    def _may_act(order, access_token):
        """The page acts for the token's holder (the contractor), the contractor's login, or a
        back-office user who may change the order; an internal user who may only read it (finance)
        changes nothing through the page."""
        user = request.env.user
        if user.share or (access_token and order._klusheeren_token_is(access_token)):
            return True
        return order.with_user(user).has_access("write")

    def _work_order_denied(self):
        return request.render("klusheeren_portal.work_order_denied", {}, status=403)

    @staticmethod
    def _is_withdrawn(order):
        """Refused or cancelled: the link shows no personal data and takes no action."""
        return order.state in ("refused", "cancelled")

    @http.route(
        ["/my/work-orders", "/my/work-orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_work_orders(self, page=1, filterby="open", sortby="date", search=None, **kw):
        WorkOrder = request.env["klusheeren.work.order"]
        if not WorkOrder.has_access("read"):
            return request.redirect("/my")
        open_states = ("sent", "accepted", "on_hold")
        filters = {
            "open": {"label": request.env._("Open"), "domain": Domain("state", "in", open_states)},
            "sent": {"label": request.env._("To accept"), "domain": Domain("state", "=", "sent")},
            "on_hold": {"label": request.env._("Parts on order"), "domain": Domain("state", "=", "on_hold")},
            "done": {"label": request.env._("Done"), "domain": Domain("state", "=", "done")},
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
        }
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "appointment": {"label": request.env._("Appointment"), "order": "appointment_date asc, id desc"},
            "name": {"label": request.env._("Number"), "order": "name desc"},
        }
        filterby = filterby if filterby in filters else "open"
        sortby = sortby if sortby in sortings else "date"
        domain = filters[filterby]["domain"]
        if search:
            # sites are looked up as superuser: a contractor may not read the customer's contacts
            sites = request.env["res.partner"].sudo()._search([("name", "ilike", search)])
            domain &= Domain.OR(
                [Domain("name", "ilike", search), Domain("title", "ilike", search), Domain("site_id", "in", sites)]
            )
        count = WorkOrder.search_count(domain)
        pager = portal_pager(
            url="/my/work-orders",
            url_args={"filterby": filterby, "sortby": sortby, "search": search},
            total=count,
            page=page,
            step=20,
        )
        orders = WorkOrder.search(domain, order=sortings[sortby]["order"], limit=20, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "orders": orders,
                "page_name": "work_orders",
                "pager": pager,
                "default_url": "/my/work-orders",
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search,
                "search_in": "all",
                "searchbar_inputs": {},
            }
        )
        return request.render("klusheeren_portal.portal_my_work_orders", values)

    @http.route("/my/work-orders/statistics", type="http", auth="user", methods=["GET"], website=True, sitemap=False)
    def portal_my_work_order_statistics(self, **kw):
        """The contractor's own figures per month over the last year, from the statistics
        (klusheeren.ticket.report), read as the logged-in user: its record rule keeps them to the
        contractor's own work orders. Only contractor logins reach the page."""
        env = request.env
        Report = env["klusheeren.ticket.report"]
        if not env.user.commercial_partner_id.klusheeren_is_contractor or not Report.has_access("read"):
            return request.render("klusheeren_portal.work_order_statistics_denied", {}, status=403)
        today = fields.Date.context_today(Report)
        start = today.replace(day=1) - relativedelta(months=11)
        measures = ["__count", "hours_to_accept:avg", "hours_to_done:avg", "reopen_count:sum"]
        keys = ["count", "hours_to_accept", "hours_to_done", "reopened"]
        groups = Report._read_group([("date", ">=", start)], ["date:month"], measures, order="date:month desc")
        # the cost of the contractor's own completed orders only: a ticket's row in the statistics
        # sums every contractor's orders on it (its cost is for the back office's eyes only)
        own_done = [
            ("state", "=", "done"),
            ("contractor_id", "child_of", env.user.commercial_partner_id.id),
            ("create_date", ">=", fields.Datetime.to_datetime(start)),
        ]
        costs = {
            (month.year, month.month): amount
            for month, amount in env["klusheeren.work.order"]._read_group(
                own_done, ["create_date:month"], ["amount_total:sum"]
            )
        }
        months = [
            {"month": month, **dict(zip(keys, values, strict=True)), "cost": costs.get((month.year, month.month), 0.0)}
            for month, *values in groups
        ]
        [total] = Report._read_group([("date", ">=", start)], [], measures)
        total = [*total, sum(costs.values())]
        keys = [*keys, "cost"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "work_order_statistics",
                "months": months,
                "rows": [*months, {"month": False, **dict(zip(keys, total, strict=True))}],
                "currency": env.company.currency_id,
                "date_start": start,
            }
        )
        return request.render("klusheeren_portal.portal_my_work_order_statistics", values)

    @http.route("/my/work-orders/<int:order_id>", type="http", auth="public", website=True, sitemap=False)
    def portal_work_order(self, order_id, access_token=None, **kw):
        order = self._work_order_or_error(order_id, access_token)
        if order is None:
            return self._work_order_denied()
        if self._is_withdrawn(order):
            return request.render("klusheeren_portal.work_order_closed", {"order": order})
        # the outcome of the last action, kept in the session by the POST (never read from the URL)
        notice = request.session.pop(NOTICE_KEY, None) or {}
        if notice.get("order_id") != order.id:
            notice = {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "order": order,
                "ticket": order.ticket_id,
                "files": order._contractor_attachments(),
                "access_token": access_token or "",
                "page_name": "work_order",
                "message": notice.get("message"),
                "error": notice.get("error"),
                "typed": notice.get("form") or {},
                "appointment_local": _utc_to_local(order.appointment_date),
                "catalogue": order._klusheeren_contractor_catalogue(),
                "units": order._klusheeren_contractor_units(),
                "line_rows": self._line_rows(order, notice.get("lines")),
                "amount_total_input": _decimal_input("%.2f", order.amount_total),
                "tz_name": _page_tz().zone,
                "token_query": f"?access_token={access_token}" if access_token else "",
            }
        )
        return request.render("klusheeren_portal.work_order_page", values)

    @http.route(
        "/my/work-orders/<int:order_id>/update",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_work_order_update(self, order_id, access_token=None, action="save", **post):
        order = self._work_order_or_error(order_id, access_token)
        if order is None or not self._may_act(order, access_token):
            return self._work_order_denied()
        if not action_allowed(f"work_order:{order.id}"):
            return too_many()
        # the sending job writes the ticket and the order too: their row locks first, in this order
        # (klusheeren.token.door._klusheeren_lock: a concurrent commit replays the request quietly)
        order.ticket_id._klusheeren_lock()
        order._klusheeren_lock()
        query = {"access_token": access_token} if access_token else {}
        try:
            with request.env.cr.savepoint():  # a refused action changes nothing
                if action == "save":
                    order.contractor_save(self._parse_contractor_form(post))
                    notice = request.env._("Saved.")
                elif action == "accept":
                    order.action_accept()
                    notice = request.env._("Accepted. Please contact the location within 24 hours.")
                elif action == "refuse":
                    order.action_refuse(post.get("reason"))
                    notice = request.env._("Refused.")
                elif action == "hold":
                    order.action_hold(post.get("reason"))
                    notice = request.env._("Paused while the parts are on order.")
                elif action == "resume":
                    order.action_resume()
                    notice = request.env._("Resumed.")
                elif action == "done":
                    order.contractor_save(self._parse_contractor_form(post))
                    order.action_done()
                    notice = request.env._("Completed. Thank you!")
                elif action == "message":
                    uploads, errors = read_uploads(request.env, request.httprequest.files.getlist("attachments"))
                    if errors:
                        raise UserError(" ".join(errors))
                    order.contractor_post_message(str(post.get("body") or ""), uploads)
                    notice = request.env._("Your message has been sent to KlusHeeren.")
                else:
                    raise UserError(request.env._("Unknown action."))
        except (UserError, ValueError, AccessError) as e:
            # nothing typed is lost: the page shows the refused input again, with the reason
            typed = {key: str(post[key])[:5000] for key in KEPT_FIELDS if key in post}
            request.session[NOTICE_KEY] = {
                "order_id": order.id,
                "error": str(e.args[0] if e.args else e),
                "form": typed,
                "lines": self._typed_lines(post, limit=200),
            }
        else:
            request.session[NOTICE_KEY] = {"order_id": order.id, "message": notice}
        return request.redirect(f"/my/work-orders/{order.id}?{urlencode(query)}")

    @staticmethod
    def _typed_lines(post, limit=None):
        """The line fields as typed, by row (strings); cut to ``limit`` characters to show them
        again after a refusal (the model judges the lengths of what is saved)."""
        rows = {}
        for key, value in post.items():
            match = LINE_KEY.match(key)
            if match:
                rows.setdefault(int(match.group(1)), {})[match.group(2)] = str(value)[:limit]
        return [rows[index] for index in sorted(rows)] if rows else None

    @staticmethod
    def _line_rows(order, typed=None):
        """The rows of the lines form: what was typed (after a refusal), else the order's lines,
        then empty rows for new lines (strings, as the inputs show them)."""
        if typed is not None:
            rows = [
                row
                for row in typed
                if row.get("id") or row.get("name") or row.get("product_id") or row.get("price_unit")
            ]
        else:
            rows = [
                {
                    "id": str(line.id),
                    "line_type": line.line_type,
                    "product_id": str(line.product_id.id or ""),
                    "name": line.name,
                    "quantity": _decimal_input("%g", line.quantity),
                    "uom_id": str(line.uom_id.id or ""),
                    "price_unit": _decimal_input("%.2f", line.price_unit),
                    "price_subtotal": line.price_subtotal,
                }
                for line in order.line_ids
            ]
        new_rows = NEW_LINE_ROWS if order.state in ("accepted", "on_hold") else 0
        return rows + [{"line_type": "material", "quantity": "1"} for _i in range(new_rows)]

    @staticmethod
    def _parse_lines(post):
        """The lines of the form as the model takes them (``contractor_save(lines=…)``): numbers
        parsed, everything else checked by the model. An empty new row is no line; a ticked
        "remove" leaves the line out (the model then removes it)."""
        rows = WorkOrderPortal._typed_lines(post)
        if rows is None:
            return None
        lines = []
        for row in rows:
            if row.get("remove"):
                continue
            if not (
                row.get("id")
                or row.get("name", "").strip()
                or row.get("product_id")
                or row.get("price_unit", "").strip()
            ):
                continue
            line = {"line_type": row.get("line_type") or "material", "name": row.get("name", "")}
            for key in ("id", "product_id", "uom_id"):
                raw = (row.get(key) or "").strip()
                if raw:
                    if not raw.isdigit():
                        raise UserError(request.env._("The lines could not be read."))
                    line[key] = int(raw)
            for key in ("quantity", "price_unit"):
                raw = (row.get(key) or "").strip().replace(",", ".")
                if raw:
                    try:
                        line[key] = float(raw[:32])
                    except ValueError:
                        if key == "quantity":
                            message = request.env._("The quantity of a line must be a number, e.g. 1.5.")
                        else:
                            message = request.env._("The unit price of a line must be a number, e.g. 12.50.")
                        raise UserError(message) from None
                    # bounds, NaN and infinity: checked by the model
            lines.append(line)
        return lines

    @staticmethod
    def _parse_contractor_form(post):
        vals = {}
        lines = WorkOrderPortal._parse_lines(post)
        if lines is not None:
            vals["lines"] = lines
        if "appointment_date" in post:
            raw = (post.get("appointment_date") or "").strip()
            if raw:
                try:
                    local = fields.Datetime.to_datetime(raw.replace("T", " ") + (":00" if len(raw) == 16 else ""))
                    vals["appointment_date"] = _local_to_utc(local)
                except (ValueError, OverflowError):
                    raise UserError(request.env._("The appointment date is not a valid date and time.")) from None
            else:
                vals["appointment_date"] = False
        if "contractor_remarks" in post:
            vals["contractor_remarks"] = str(post.get("contractor_remarks") or "")
        if "amount_total" in post:
            raw = str(post.get("amount_total") or "0").strip().replace(",", ".") or "0"
            try:
                vals["amount_total"] = float(raw[:32])
            except ValueError:
                raise UserError(request.env._("The amount must be a number, e.g. 258.17.")) from None
            # bounds, NaN and infinity: checked by the model
        if "contractor_reference" in post:
            vals["contractor_reference"] = str(post.get("contractor_reference") or "")
        if "warranty" in post:
            vals["warranty"] = post.get("warranty") == "yes"
        return vals

    @http.route("/my/work-orders/<int:order_id>/pdf", type="http", auth="public", website=True, sitemap=False)
    def portal_work_order_pdf(self, order_id, access_token=None, **kw):
        order = self._work_order_or_error(order_id, access_token)
        if order is None or self._is_withdrawn(order):
            return self._work_order_denied()
        return self._show_report(
            model=order,
            report_type="pdf",
            report_ref="klusheeren_helpdesk.action_report_work_order",
            download=True,
        )

    @http.route(
        "/my/work-orders/<int:order_id>/file/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_work_order_file(self, order_id, attachment_id, access_token=None, **kw):
        order = self._work_order_or_error(order_id, access_token)
        if order is None or self._is_withdrawn(order):
            return self._work_order_denied()
        attachment = order._contractor_attachments().filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        return request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=True)


def _page_tz():
    """Dates on the contractor's page are in the logged-in user's time zone, else Dutch time."""
    user = request.env.user
    return pytz.timezone((not user._is_public() and user.tz) or "Europe/Amsterdam")


def _local_to_utc(local_dt):
    """A date and time typed on the page → UTC, as stored."""
    return _page_tz().localize(local_dt).astimezone(pytz.utc).replace(tzinfo=None)


def _utc_to_local(utc_dt):
    """A stored date and time → the value of a datetime-local input."""
    if not utc_dt:
        return ""
    return pytz.utc.localize(utc_dt).astimezone(_page_tz()).strftime("%Y-%m-%dT%H:%M")
