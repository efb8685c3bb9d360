import re

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, html2plaintext, plaintext2html

from odoo.addons.klusheeren_base.tools.boundary import EMAIL_MAX, checked_email, one_line
from odoo.addons.klusheeren_base.tools.upload import attach_uploads, check_attachments

DESCRIPTION_MAX = 5000
NAME_MAX = 100
PHONE_MAX = 40
PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]{2,40}$")


# one file per responsibility of the model (issue 23), not one class of everything
class HelpdeskTicket(models.Model):
    """Report intake: a ticket from a sticker's form, the company portal or the mail alias, with
    the reporter's contact and files."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from the team's mail alias: channel "E-mail" before it is routed (helpdesk_mgmt
        sets it only for mail fetched by its cron, after the routing would have looked)."""
        custom_values = dict(custom_values or {})
        if not custom_values.get("channel_id"):
            channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False)
            if channel:
                custom_values["channel_id"] = channel.id
        return super().message_new(msg_dict, custom_values=custom_values)

    @api.model
    def _klusheeren_find_or_create_partner(self, name, email, phone=None, lang=None):
        """The contact of an anonymous reporter, from what they typed (unverified).

        What was typed never selects a user's, a company's, a contractor's or any other known
        contact, and never changes one: typing someone's e-mail address must not bind the
        ticket, its chatter and its portal visibility to that person. A contact that an earlier
        report created (``klusheeren_reporter_contact``, no login) is reused, unchanged; else a
        new one is made. The phone of this report is kept on the ticket. docs/SECURITY.md.

        :param lang: the language of the page the report was made on: a new contact hears in it
            (else the database's default for new contacts)
        """
        normalized = email_normalize(email or "")
        if not normalized or len(normalized) > EMAIL_MAX:
            raise UserError(self.env._("Give a valid e-mail address."))
        # sudo: reporters have no access to contacts; the domain above is the whole check
        Partner = self.env["res.partner"].sudo()
        partner = Partner.search(
            [
                ("email_normalized", "=", normalized),
                ("klusheeren_reporter_contact", "=", True),
                ("user_ids", "=", False),
                ("is_company", "=", False),
                ("klusheeren_is_contractor", "=", False),
            ],
            order="id",
            limit=1,
        )
        if partner:
            return partner
        # a reporter's contact needs no chatter of its own: no creation message, no followers
        return Partner.with_context(tracking_disable=True).create(
            {
                "name": (name or "").strip()[:NAME_MAX] or normalized,
                "email": normalized,
                "phone": (phone or "").strip()[:PHONE_MAX] or False,
                "klusheeren_reporter_contact": True,
                **({"lang": lang} if lang else {}),
            }
        )

    # ------------------------------------------------------------------
    # A fault report (the sticker's form: klusheeren.report.submission._klusheeren_report)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_report_check(self, description, name, email, phone=None, notify_channel=None):
        """Every check of a fault report's typed fields, once: ``(report, errors)``. ``report``
        holds the values as the ticket takes them (``description``, ``name``, ``email``,
        ``phone``, ``notify_channel``), ``errors`` a message per field of the form.

        :param notify_channel: how the reporter wants to hear of appointments, as typed; checked
            by the hook ``_klusheeren_report_check_channel`` (klusheeren_visit gives it meaning)
        """
        errors = {}
        description = description.strip() if isinstance(description, str) else ""
        if not description:
            errors["description"] = self.env._("Describe the fault.")
        elif len(description) > DESCRIPTION_MAX:
            errors["description"] = self.env._("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX)
        if not email_normalize(email if isinstance(email, str) else ""):
            errors["email"] = self.env._("Give a valid e-mail address, so that we can keep you informed.")
        else:
            try:
                email = checked_email(self.env, email)
            except UserError as e:
                errors["email"] = e.args[0]
        name = one_line(name or "")
        phone = one_line(phone or "")
        if not isinstance(name, str) or len(name) > NAME_MAX:
            errors["name"] = self.env._("Keep your name under %(n)s characters.", n=NAME_MAX)
        if not isinstance(phone, str) or len(phone) > PHONE_MAX or (phone and not PHONE_CHARS.match(phone)):
            errors["phone"] = self.env._("Give a phone number of digits (at most %(n)s characters).", n=PHONE_MAX)
        report = {
            "description": description,
            "name": name,
            "email": email,
            "phone": phone,
            "notify_channel": notify_channel,
        }
        self._klusheeren_report_check_channel(report, errors)
        return report, errors

    @api.model
    def _klusheeren_report_check_channel(self, report, errors):
        """Hook of ``_klusheeren_report_check``: the reporter's preferred channel for
        appointments (``report["notify_channel"]``, as typed) checked with the other fields;
        messages go into ``errors`` by field. Without an addon that notifies by other channels
        there is nothing to choose: the value is dropped."""
        report["notify_channel"] = False

    @api.model
    def _klusheeren_report_partner(self, report):
        """Hook of ``_klusheeren_report_create``: the reporter's contact (never a known one, see
        ``_klusheeren_find_or_create_partner``), before the ticket is made."""
        return self._klusheeren_find_or_create_partner(
            report["name"] or False, report["email"], report["phone"] or False, lang=report.get("lang")
        )

    @api.model
    def _klusheeren_report_create(self, equipment, report, attachments=(), channel="qr", number=None):
        """The ticket of a report checked by ``_klusheeren_report_check`` (no error), with its
        ``attachments`` (``[(name, bytes, mimetype)]`` or ``ir.attachment`` records, already
        judged by the upload policy) and, when the equipment has a contractor, its work order,
        sent. The e-mails are queued; the work order PDF is rendered later by the sending cron,
        never inside this call.

        :param channel: ``qr``, ``web``, ``email`` or ``phone``
        :param number: the ticket number given to the reporter already (the sticker's form:
            ``klusheeren.report.submission._klusheeren_queue``), else a new one
        """
        # sudo: a reporter has no rights; the caller resolved ``equipment`` from a sticker token
        equipment = equipment.sudo()
        channel_ref = {
            "qr": "klusheeren_helpdesk.helpdesk_ticket_channel_qr",
            "web": "helpdesk_mgmt.helpdesk_ticket_channel_web",
            "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
            "phone": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        }[channel]
        description = report["description"]
        first_line = description.splitlines()[0] if description else ""
        title = self.env._("%(equipment)s: %(summary)s", equipment=equipment.name, summary=first_line[:80])
        partner = self._klusheeren_report_partner(report)
        # sudo: the report of a sticker's holder (token checked by the caller); every value was
        # checked by _klusheeren_report_check
        ticket = self.sudo().create(
            {
                "name": title,
                "description": plaintext2html(description),
                "equipment_id": equipment.id,
                "partner_id": partner.id,
                "partner_name": report["name"] or False,
                "partner_email": report["email"],
                "partner_phone": report["phone"] or False,
                "channel_id": self.env.ref(channel_ref).id,
                "team_id": self.env.ref("klusheeren_helpdesk.team_storingen").id,
                "company_id": equipment.company_id.id or self.env.company.id,
                **({"number": number} if number else {}),
            }
        )
        ticket._klusheeren_attach(attachments, checked=True)
        return ticket

    @api.model
    def _klusheeren_create_report(
        self, equipment, description, name, email, phone=None, attachments=(), channel="qr", notify_channel=None
    ):
        """A fault reported for ``equipment`` by any caller but the form (the phone, the demo, the
        tests): ``_klusheeren_report_check``, then ``_klusheeren_report_create``.

        :param attachments: list of ``(filename, bytes, mimetype)``; judged by their bytes
            (the project's upload policy), whatever the caller declared
        :param channel: ``qr``, ``web``, ``email`` or ``phone``
        :param notify_channel: the reporter's preferred channel for appointments
        :raise UserError: input out of bounds (the first message); nothing is created then
        """
        report, errors = self._klusheeren_report_check(description, name, email, phone, notify_channel=notify_channel)
        if errors:
            raise UserError(next(iter(errors.values())))
        attachments = check_attachments(self.env, attachments)
        return self._klusheeren_report_create(equipment, report, attachments, channel=channel)

    @api.model
    def _klusheeren_portal_sites(self):
        """The sites a logged-in customer user may ask for: the locations of their company
        (its contacts of type "other" and the sites of its equipment). Read as superuser for
        the current user's own company only."""
        user = self.env.user
        if user._is_public():
            return self.env["res.partner"]
        company = user.commercial_partner_id
        # sudo: portal users read neither equipment nor their company's other contacts; the
        # domains below keep to the user's own commercial partner
        equipment_sites = self.env["maintenance.equipment"].sudo()._search([("site_id", "child_of", company.id)])
        return (
            self.env["res.partner"]
            .sudo()  # sudo: see above (the user's own commercial partner)
            .search(
                [
                    ("id", "child_of", company.id),
                    "|",
                    ("type", "=", "other"),
                    ("id", "in", equipment_sites.subselect("site_id")),
                ],
                order="name",
            )
        )

    @api.model
    def _klusheeren_portal_equipment(self, sites):
        """The equipment at ``sites`` (from ``_klusheeren_portal_sites``), as superuser."""
        # sudo: only at the sites _klusheeren_portal_sites gave for the current user
        return self.env["maintenance.equipment"].sudo().search([("site_id", "in", sites.ids)], order="name")

    @api.model
    def _klusheeren_create_request(self, vals, site_id=None, equipment_id=None, private=False, attachments=()):
        """A request from the company portal (seed 003): ``vals`` as helpdesk_mgmt prepares them
        for the current user, one of their sites, optionally its equipment, files checked by the
        upload policy, shared with the company or only the user. Everything is checked here,
        for the current user, before the ticket is created as superuser.

        :raise UserError: input out of bounds; nothing is created then
        """
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Log in to make a request."))
        subject = (vals.get("name") or "").strip()
        description = html2plaintext(vals.get("description") or "").strip()
        if not subject or len(subject) > 200:
            raise UserError(self.env._("Give a subject (at most 200 characters)."))
        if not description or len(description) > 20000:
            raise UserError(self.env._("Describe the request (at most 20,000 characters)."))
        attachments = check_attachments(self.env, attachments)
        sites = self._klusheeren_portal_sites()
        site = sites.browse()
        if site_id:
            site = sites.filtered(lambda s: s.id == site_id)
            if not site:
                raise UserError(self.env._("Choose one of your sites."))
        elif sites:
            raise UserError(self.env._("Choose the site of the request."))
        equipment = self.env["maintenance.equipment"].sudo()  # sudo: an empty recordset (no equipment)
        if equipment_id:
            equipment = self._klusheeren_portal_equipment(site).filtered(lambda e: e.id == equipment_id)
            if not equipment:
                raise UserError(self.env._("Choose equipment at the chosen site, or none."))
        # sudo: the category is read to check that the portal offers it (below)
        category = self.env["helpdesk.ticket.category"].sudo().browse(vals.get("category_id") or [])
        if category and not (category.exists() and category.active and category.show_in_portal):
            raise UserError(self.env._("Choose from the list."))
        partner = user.partner_id
        values = {
            **vals,
            "name": subject,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "site_id": site.id or False,
            "equipment_id": equipment.id or False,
            "klusheeren_private": bool(private),
            "user_id": False,
        }
        values.pop("attachment_ids", None)
        if not values.get("team_id"):
            # the rules may route it elsewhere; the team's first stage follows from the team
            values["team_id"] = self.env.ref("klusheeren_helpdesk.team_storingen").id
            values.pop("stage_id", None)
        # sudo: as helpdesk_mgmt, a portal user creates the ticket of its own contact; every
        # value was checked above for this user
        ticket = self.sudo().create(values)
        ticket.message_subscribe(partner_ids=partner.ids)
        ticket._klusheeren_attach(attachments, checked=True)
        return ticket

    def _klusheeren_attach(self, attachments, checked=False):
        """The reporter's files (``checked``: already judged by the upload policy, else judged
        here), shared with the contractor. ``attachments``: ``[(name, bytes, mimetype)]``, or
        ``ir.attachment`` records kept for the report (judged when they were kept), which
        become the ticket's."""
        self.ensure_one()
        if isinstance(attachments, models.BaseModel):
            # sudo: the files kept for this very report (by the intake job), moved to its ticket
            files = attachments.sudo()
            files.write({"res_model": self._name, "res_id": self.id})
        else:
            # sudo: the reporter's own files on the ticket just made for them (or by the back office)
            files = attach_uploads(self.sudo(), attachments, checked=checked)
        if files:
            self.sudo().klusheeren_shared_attachment_ids = [(4, f.id) for f in files]
        return files

    # ------------------------------------------------------------------
    # Attachments given at creation (the reporter's photos)
    # ------------------------------------------------------------------
    def _klusheeren_photos(self):
        """The files shared with the contractor (see ``klusheeren_shared_attachment_ids``)."""
        # no sudo: callers are the sending job, the back office and token pages, which hand
        # over superuser records after their access check
        return self.klusheeren_shared_attachment_ids.sorted("id")
