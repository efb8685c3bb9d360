"""The reporter's and the customer's ticket pages (/my/ticket..., /submitted/ticket)."""

from odoo import http
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.klusheeren_base.tools.upload import read_uploads

from .limits import action_allowed, too_many


class KlusheerenTicketPortal(CustomerPortalHelpdesk):
    """/my/tickets of helpdesk_mgmt, searchable by equipment and location as well."""

    def _ticket_get_searchbar_inputs(self):
        values = super()._ticket_get_searchbar_inputs()
        values["equipment"] = {"input": "equipment", "label": request.env._("Search in Equipment"), "order": 4}
        values["site"] = {"input": "site", "label": request.env._("Search in Location"), "order": 5}
        return dict(sorted(values.items(), key=lambda item: item[1]["order"]))

    def _ticket_get_search_domain(self, search_in, search):
        domains = [super()._ticket_get_search_domain(search_in, search)]
        # sudo (both): the names are looked up as superuser, as a subquery only (portal users
        # cannot read equipment or sites); the tickets found stay limited by the ticket record rules
        if search_in in ("equipment", "all"):
            equipment = request.env["maintenance.equipment"].sudo()._search([("name", "ilike", search)])
            domains.append(Domain("equipment_id", "in", equipment))
        if search_in in ("site", "all"):
            site_domain = ["|", "|", ("name", "ilike", search), ("street", "ilike", search), ("city", "ilike", search)]
            sites = request.env["res.partner"].sudo()._search(site_domain)  # sudo: see above
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
