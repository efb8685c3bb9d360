import re
from urllib.parse import urlencode

import pytz
from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.klusheeren_base.tools.upload import MAX_FILES, check_file, max_file_bytes, read_uploads
from odoo.addons.klusheeren_equipment.controllers.main import StickerController
from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .limits import action_allowed, too_many

HONEYPOT = "kh_website"
# records whose chatter a visitor reaches with a token: the upload policy applies there too
GUARDED_THREADS = ("helpdesk.ticket", "klusheeren.work.order", "klusheeren.complaint")
NOTICE_KEY = "klusheeren_work_order_notice"
REPORTED_KEY = "klusheeren_reported"
ALLOWED_KEY = "klusheeren.rate_limit_allowed"
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
                    "quantity": f"{line.quantity:g}",
                    "uom_id": str(line.uom_id.id or ""),
                    "price_unit": f"{line.price_unit:.2f}",
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


class KlusheerenTicketPortal(CustomerPortalHelpdesk):
    """/my/tickets of helpdesk_mgmt, searchable by equipment and location as well."""

    def _ticket_get_searchbar_inputs(self):
        values = super()._ticket_get_searchbar_inputs()
        values["equipment"] = {"input": "equipment", "label": request.env._("Search in Equipment"), "order": 4}
        values["site"] = {"input": "site", "label": request.env._("Search in Location"), "order": 5}
        return dict(sorted(values.items(), key=lambda item: item[1]["order"]))

    def _ticket_get_search_domain(self, search_in, search):
        domains = [super()._ticket_get_search_domain(search_in, search)]
        # the names are looked up as superuser: portal users cannot read equipment, and the
        # tickets found stay limited by the ticket record rules
        if search_in in ("equipment", "all"):
            equipment = request.env["maintenance.equipment"].sudo()._search([("name", "ilike", search)])
            domains.append(Domain("equipment_id", "in", equipment))
        if search_in in ("site", "all"):
            sites = (
                request.env["res.partner"]
                .sudo()
                ._search(["|", "|", ("name", "ilike", search), ("street", "ilike", search), ("city", "ilike", search)])
            )
            domains.append(Domain("site_id", "in", sites))
        return Domain.OR(domains)

    # ------------------------------------------------------------------
    # The reporter's page (helpdesk_mgmt's, reached with the ticket's token or a login)
    # ------------------------------------------------------------------
    @http.route(
        ["/my/ticket/<int:ticket_id>", "/my/ticket/<int:ticket_id>/<access_token>"],
        type="http",
        auth="public",
        website=True,
        priority=100,
        sitemap=False,
    )
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """helpdesk_mgmt's page, which hands every attachment of the ticket (internal notes'
        files included) a public token and lists it; here only the shared files are shown."""
        ticket_sudo = request.env["helpdesk.ticket"]._klusheeren_from_login_or_token(ticket_id, access_token)
        if not ticket_sudo:
            if access_token:
                # A link with a token that opens nothing (mistyped, cut off, of an older ticket):
                # say so, rather than sending a reporter without an account to a login page.
                return request.render("klusheeren_portal.ticket_denied", {}, status=404)
            return request.redirect("/my")
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        files = ticket._klusheeren_photos()  # ``ticket`` is the checked superuser record
        for attachment in files:
            attachment.generate_access_token()
        values["klusheeren_files"] = files
        return values

    @staticmethod
    def _klusheeren_is_reporter(ticket_sudo, access_token):
        """The reporter's role (rate, complain) belongs to whoever holds the ticket's link, or
        to the ticket's own contact when logged in; never to a colleague of the company."""
        if ticket_sudo._klusheeren_token_is(access_token):
            return True
        user = request.env.user
        return not user._is_public() and user.partner_id == ticket_sudo.partner_id


class KlusheerenHelpdeskTicketController(HelpdeskTicketController):
    """helpdesk_mgmt's own portal routes, with the checks they lack."""

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes any ticket by its number, whoever asks: here only a ticket the
        user may read, and only to a stage meant for closing from the portal."""
        try:
            ticket_id = int(kw.get("ticket_id") or 0)
            stage_id = int(kw.get("stage_id") or 0)
        except (TypeError, ValueError):
            return request.redirect("/my")
        ticket = request.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not ticket or not ticket.has_access("read"):
            return request.redirect("/my")
        stage = request.env["helpdesk.ticket.stage"].browse(stage_id).exists()
        if stage and stage.close_from_portal and not ticket.closed_date:
            # sudo: access checked above; portal users cannot write tickets themselves
            ticket.sudo().stage_id = stage
        return request.redirect(f"/my/ticket/{ticket.id}")

    def _get_create_new_ticket_values(self, **kw):
        """helpdesk_mgmt's form, plus the user's sites, their equipment and whom to share with
        (seed 003); what was typed comes back after refused input."""
        values = super()._get_create_new_ticket_values(**kw)
        Ticket = request.env["helpdesk.ticket"]
        sites = Ticket._klusheeren_portal_sites()
        values.update(
            klusheeren_sites=sites,
            klusheeren_equipment=Ticket._klusheeren_portal_equipment(sites),
            klusheeren_values={
                key: str(kw.get(key) or "") for key in ("subject", "description", "site", "equipment", "share")
            },
        )
        Submission = request.env["klusheeren.report.submission"]  # a key's format, a new key: no record read
        key = kw.get("idempotency_key")
        values["klusheeren_values"]["idempotency_key"] = (
            key if Submission._klusheeren_valid_key(key) else Submission._klusheeren_new_key()
        )
        return values

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True, methods=["POST"])
    def submit_ticket(self, **kw):
        """helpdesk_mgmt stores any file of any size and errs on a bad number: here the one
        upload policy applies, and bad input is answered, not a server error. The request
        itself (site, equipment, sharing) is checked and made by the model."""
        files = request.httprequest.files.getlist("attachment")
        for upload in files:  # Odoo's retry of a request rewinds only the first file of a name
            upload.seek(0)
        uploads, errors = read_uploads(request.env, files)
        # sudo: the user's own submission, found by the key of the form and bound to this user
        Submission = request.env["klusheeren.report.submission"].sudo()
        key = kw.get("idempotency_key")
        if not Submission._klusheeren_valid_key(key):
            errors.append(
                request.env._(
                    "This form could not be recognised (it may be an old copy). Nothing was sent: please send it again."
                )
            )
        subject = str(kw.get("subject") or "").strip()
        description = str(kw.get("description") or "").strip()
        if not subject or len(subject) > 200 or not description or len(description) > 20000:
            errors.append(request.env._("Give a subject (at most 200 characters) and a description."))
        for key_name in ("category", "team", "site", "equipment"):
            if kw.get(key_name) and not str(kw[key_name]).isdigit():
                errors.append(request.env._("Choose from the list."))
        ticket = None
        if not errors:
            vals = self._prepare_submit_ticket_vals(**{**kw, "subject": subject, "description": description})

            def make(kept_uploads):
                return request.env["helpdesk.ticket"]._klusheeren_create_request(
                    vals,
                    site_id=int(kw.get("site") or 0) or None,
                    equipment_id=int(kw.get("equipment") or 0) or None,
                    private=kw.get("share") == "me",
                    attachments=kept_uploads + uploads,
                )

            try:
                ticket, status = Submission._klusheeren_once(
                    key, make, user=request.env.user, allow=lambda: action_allowed(f"user:{request.env.uid}")
                )
            except UserError as e:
                errors.append(e.args[0])
            else:
                if status == "too_many":
                    return too_many()
                if status == "foreign":
                    errors.append(request.env._("This form was already sent by someone else, so nothing was created."))
        if errors:
            values = self._get_create_new_ticket_values(**kw)
            values["klusheeren_errors"] = list(dict.fromkeys(errors))
            return request.render("helpdesk_mgmt.portal_create_ticket", values, status=400)
        return request.redirect(f"/my/ticket/{ticket.id}")


class KlusheerenAttachmentController(AttachmentController):
    """Odoo's generic upload of the chatter, for the KlusHeeren records: a visitor or portal
    user gets the project's upload policy (docs/SECURITY.md); internal users keep Odoo's."""

    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        if thread_model in GUARDED_THREADS and not request.env.user._is_internal():
            limit = max_file_bytes(request.env)
            data = ufile.read(limit + 1)
            try:
                check_file(request.env, ufile.filename, data, limit)
            except UserError as e:
                return request.make_json_response({"error": e.args[0]})
            ufile.stream.seek(0)
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending, **kwargs)
