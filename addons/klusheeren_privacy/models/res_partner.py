import base64
import json

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

MANAGER = "klusheeren_base.group_klusheeren_manager"
PRIVACY_HOOKS = ("_klusheeren_privacy_export", "_klusheeren_privacy_files", "_klusheeren_privacy_erase")


class ResPartner(models.Model):
    """Retention, export and erasure of a reporter's or visit contact's personal data (AVG
    articles 5, 15, 17, 30; docs/PRIVACY.md).

    Why not OCA's ``privacy_partner_to_be_forgotten`` (19.0, read from PyPI): its
    ``anonymize_partner_data`` deletes every message the contact wrote or received, on any
    record, which would take the tickets' history (the back office's own messages included)
    with it, while tickets, work orders, amounts and ratings must stay; it writes a made-up
    address ``…@anonymized.oca`` where the e-mail address must be empty; it knows neither the
    copies of the contact details on tickets nor the links (tokens), photos and visits; and it
    brings the Contacts app and a group of its own. Odoo core's ``privacy_lookup`` is used: its
    ``privacy.log`` records every export and erasure, and its lookup (the contact form's
    *Privacy Lookup*) finds the places outside KlusHeeren's own records.
    """

    _inherit = "res.partner"

    klusheeren_anonymized_date = fields.Datetime(string="Anonymised on", readonly=True, copy=False)

    def write(self, vals):
        if "klusheeren_anonymized_date" in vals and not self.env.su:
            raise AccessError(self.env._("Only the privacy job marks a contact as anonymised."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # What belongs to the person
    # ------------------------------------------------------------------
    # The manager's actions check the group, then work on the superuser contact
    # (``_klusheeren_privacy_system``); the retention job runs as the superuser. Every method
    # below this point is private and runs in that superuser environment: it adds no sudo() of
    # its own, and the models of the protocol are handed over in it.
    def _klusheeren_privacy_models(self):
        """The models that take part in the privacy protocol (see helpdesk.ticket's part), in
        this (superuser) environment."""
        return [
            self.env[name]
            for name in sorted(self.env.registry)
            if all(hasattr(type(self.env[name]), hook) for hook in PRIVACY_HOOKS)
        ]

    def _klusheeren_privacy_tickets(self):
        return self.env["helpdesk.ticket"].with_context(active_test=False).search([("partner_id", "in", self.ids)])

    def _klusheeren_privacy_system(self):
        """This contact as superuser, for a KlusHeeren manager only: the one check of the
        privacy actions (privacy.log, every ticket and file of the person)."""
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a KlusHeeren manager may export or erase a person's data."))
        # sudo: the manager's group was checked on the line above
        return self.sudo()

    def _klusheeren_privacy_log(self, action, details):
        self.ensure_one()
        self.env["privacy.log"].create(
            {
                "anonymized_name": self.name or "-",
                "anonymized_email": self.email_normalized or "unknown@anonymised.invalid",
                "user_id": self.env.user.id,
                "execution_details": action,
                "records_description": details,
            }
        )

    def _klusheeren_privacy_data(self):
        """Everything personal the system holds about this contact, as one JSON-ready dict."""
        self.ensure_one()
        tickets = self._klusheeren_privacy_tickets()
        partner = self
        data = {
            "exported_at": fields.Datetime.now(),
            "contact": {
                "name": partner.name,
                "email": partner.email or None,
                "phone": partner.phone or None,
                "street": partner.street or None,
                "zip": partner.zip or None,
                "city": partner.city or None,
                "language": partner.lang or None,
                "created": partner.create_date,
            },
        }
        if "klusheeren_notify_channel" in partner._fields:
            data["contact"]["preferred_channel"] = partner.klusheeren_notify_channel or "email"
        files = self.env["ir.attachment"]
        for model in self._klusheeren_privacy_models():
            data.update(model._klusheeren_privacy_export(tickets))
            files |= model._klusheeren_privacy_files(tickets)
        # "me too": on others' tickets, by the person's address or number (no contact, no ticket of theirs)
        data["subscriptions"] = (
            self.env["klusheeren.ticket.subscriber"]
            ._klusheeren_privacy_of(self, tickets)
            ._klusheeren_privacy_export_rows()
        )
        messages = self.env["mail.message"].search([("author_id", "=", self.id)], order="date, id")
        data["messages"] = [
            {
                "date": message.date,
                "on": message.record_name or message.model,
                "subject": message.subject or None,
                "text": html2plaintext(message.body or ""),
            }
            for message in messages
            if message.message_type in ("comment", "email")
        ]
        data["files"] = [
            {"name": f.name, "type": f.mimetype, "bytes": f.file_size, "created": f.create_date}
            for f in files.sorted("id")
        ]
        return data

    # ------------------------------------------------------------------
    # The manager's actions on the contact form
    # ------------------------------------------------------------------
    def action_klusheeren_privacy_export(self):
        """One JSON file with everything personal held about this person, for download."""
        self.ensure_one()
        partner = self._klusheeren_privacy_system()
        data = partner._klusheeren_privacy_data()
        content = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        # the file is kept on the contact (and goes with it when the contact is erased)
        attachment = partner.env["ir.attachment"].create(
            {
                "name": f"personal-data-{self.id}-{fields.Date.context_today(self)}.json",
                "datas": base64.b64encode(content.encode()),
                "mimetype": "application/json",
                "res_model": "res.partner",
                "res_id": self.id,
            }
        )
        partner._klusheeren_privacy_log(
            self.env._("Personal data exported"),
            self.env._(
                "%(tickets)s tickets, %(messages)s messages, %(files)s files, %(subscriptions)s reports followed",
                tickets=len(data.get("tickets", [])),
                messages=len(data["messages"]),
                files=len(data["files"]),
                subscriptions=len(data["subscriptions"]),
            ),
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_klusheeren_privacy_erase(self):
        """Erase this person's data now (AVG article 17), as the retention job does."""
        self.ensure_one()
        partner = self._klusheeren_privacy_system()
        if partner.user_ids or partner.is_company or partner.klusheeren_is_contractor:
            raise UserError(
                self.env._("Only a person without a login can be erased here: a user, company or contractor cannot.")
            )
        tickets = partner._klusheeren_privacy_tickets()
        if tickets.filtered(lambda t: not t.stage_id.closed):
            raise UserError(
                self.env._(
                    "%(name)s still has open tickets: close them first, then erase.",
                    name=partner.name,
                )
            )
        # read before the contact's address and the tickets' copies are cleared
        subscribers = partner.env["klusheeren.ticket.subscriber"]._klusheeren_privacy_of(partner, tickets)
        partner._klusheeren_privacy_anonymize(tickets, subscribers=subscribers)
        return True

    # ------------------------------------------------------------------
    # Anonymisation (retention job and erasure)
    # ------------------------------------------------------------------
    def _klusheeren_privacy_anonymize(self, tickets, whole_contact=True, subscribers=None):
        """Anonymise ``tickets`` (and every record of the protocol hanging on them) and, with
        ``whole_contact``, the contact itself: its name becomes a neutral label, e-mail, phone and
        address are cleared, its own chatter and files go, it is archived. ``subscribers``: the
        person's "me too" subscriptions, deleted (the erasure on request; the retention job leaves
        them to their own, shorter, retention). Tickets, work orders, amounts, ratings and
        statistics stay."""
        self.ensure_one()
        files = self.env["ir.attachment"]
        for model in self._klusheeren_privacy_models():
            files |= model._klusheeren_privacy_files(tickets)
        erased = files - files._klusheeren_pinned()
        count = len(erased)
        erased.unlink()
        for model in self._klusheeren_privacy_models():
            model._klusheeren_privacy_erase(tickets)
        subscriptions = len(subscribers or [])
        if subscribers:
            subscribers.unlink()
        details = self.env._(
            "%(tickets)s tickets anonymised, %(files)s files removed, %(subscriptions)s reports no longer followed",
            tickets=len(tickets),
            files=count,
            subscriptions=subscriptions,
        )
        if not whole_contact:
            self._klusheeren_privacy_log(self.env._("Tickets anonymised (retention)"), details)
            return
        self._klusheeren_privacy_log(self.env._("Contact anonymised"), details)
        partner = self.with_context(tracking_disable=True)
        self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", self.id)]).unlink()
        self.env["ir.attachment"].search([("res_model", "=", "res.partner"), ("res_id", "=", self.id)]).unlink()
        partner.message_unsubscribe(partner_ids=self.ids)
        values = {
            "name": self.env._("Anonymised contact"),
            "email": False,
            "phone": False,
            "street": False,
            "street2": False,
            "zip": False,
            "city": False,
            "function": False,
            "comment": False,
            "image_1920": False,
            "active": False,
            "klusheeren_anonymized_date": fields.Datetime.now(),
        }
        if "klusheeren_notify_channel" in partner._fields:
            values["klusheeren_notify_channel"] = False
        partner.write(values)

    @api.model
    def _cron_klusheeren_retention(self, limit=200):
        """Daily: anonymise the reporters and visit contacts of tickets closed more than
        ``klusheeren_privacy.retention_months`` (24) months ago; 0 = off. A contact still linked
        to an open ticket is left alone; a contact whose every ticket is old is anonymised whole."""
        months = read_setting(self.env, "klusheeren_privacy.retention_months")
        if not months:
            return 0
        # sudo: the retention job (private; its cron runs as the superuser already); the
        # contacts it finds are superuser records for the anonymisation below
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        open_partners = {
            partner.id for [partner] in Ticket._read_group([("stage_id.closed", "=", False)], ["partner_id"])
        }
        domain = [
            ("stage_id.closed", "=", True),
            ("closed_date", "<", fields.Datetime.now() - relativedelta(months=months)),
            ("klusheeren_anonymized", "=", False),
            ("partner_id.klusheeren_reporter_contact", "=", True),
            ("partner_id.user_ids", "=", False),
            ("partner_id", "not in", list(open_partners)),
        ]
        tickets = Ticket.search(domain, limit=limit, order="id")
        for partner in tickets.partner_id:
            old = tickets.filtered(lambda t, p=partner: t.partner_id == p)
            rest = Ticket.search_count(
                [("partner_id", "=", partner.id), ("id", "not in", old.ids), ("klusheeren_anonymized", "=", False)]
            )
            with self.env.cr.savepoint():
                partner._klusheeren_privacy_anonymize(old, whole_contact=not rest)
        remaining = Ticket.search_count(domain) if len(tickets) == limit else 0
        commit_progress(self.env, len(tickets), remaining=remaining)
        return len(tickets)
