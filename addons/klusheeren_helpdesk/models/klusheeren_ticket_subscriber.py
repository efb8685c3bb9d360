# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import default_token
from odoo.addons.klusheeren_base.tools.boundary import checked_email, one_line

KEEP_DAYS = 30  # after its ticket was closed, an address is no longer needed
_logger = logging.getLogger(__name__)
UPDATE_TEMPLATE = "klusheeren_helpdesk.mail_template_subscriber_update"
PHONE_RE = re.compile(r"^\+?[0-9]{6,20}$")


class KlusheerenTicketSubscriber(models.Model):
    """Someone at the sticker who has the same problem as an open report ("me too", issue 24):
    kept informed of that ticket by e-mail or SMS, through a link of their own. No contact is
    made and they follow nothing in the chatter: they never see the reporter, nor one another."""

    _name = "klusheeren.ticket.subscriber"
    _inherit = ["klusheeren.token.door"]
    _description = "Reported the same"
    _order = "id"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id")
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    active = fields.Boolean(default=True, readonly=True, help="Off once they unsubscribed.")
    # their own link: the back office only, 256 bits, made with the record
    access_token = fields.Char(groups="base.group_user", default=default_token, copy=False, readonly=True)

    _email_unique = models.Constraint("UNIQUE(ticket_id, email)", "This address already follows the report.")
    _phone_unique = models.Constraint("UNIQUE(ticket_id, phone)", "This number already follows the report.")

    @api.depends("email", "phone")
    def _compute_display_name(self):
        for subscriber in self:
            subscriber.display_name = subscriber.email or subscriber.phone or ""

    # ------------------------------------------------------------------
    # "Me too" (the public QR page; its controller resolved the sticker)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_checked_address(self, email, phone):
        """``(email, phone)``: exactly one of them, checked."""
        email = one_line(email or "") if isinstance(email, str) else ""
        phone = one_line(phone or "") if isinstance(phone, str) else ""
        if email:
            return checked_email(self.env, email), False
        number = re.sub(r"[\s().-]", "", phone)
        if number.startswith("00"):
            number = "+" + number[2:]
        if not number:
            raise UserError(self.env._("Give an e-mail address or a mobile number."))
        if not PHONE_RE.match(number):
            raise UserError(self.env._("Give a mobile number of digits, e.g. 06 12345678."))
        if hasattr(self, "_phone_format_number"):  # phone_validation: E.164, as the SMS gateway sends
            country = self.env.company.country_id or self.env.ref("base.nl")
            number = self._phone_format_number(number, country, force_format="E164")
            if not number:
                raise UserError(self.env._("Give a mobile number of digits, e.g. 06 12345678."))
        return False, number

    @api.model
    def _klusheeren_subscribe(self, equipment, ticket_id, email=None, phone=None, lang=None):
        """Keep ``email`` (or ``phone``) informed of the open report ``ticket_id`` on
        ``equipment`` (resolved by the caller from a sticker token). An address that follows
        already is not added again (nor the reporter's own). Nothing is sent here.

        :return: the ticket (superuser record)
        :raise UserError: not an open report of this equipment, or a wrong address
        """
        try:
            ticket_id = int(ticket_id)
        except (TypeError, ValueError):
            ticket_id = 0
        # sudo: the public user; the ticket must be one of the equipment's open reports
        Ticket = self.env["helpdesk.ticket"].sudo()
        ticket = Ticket.search([("id", "=", ticket_id), *Ticket._klusheeren_open_report_domain(equipment)], limit=1)
        if not ticket:
            raise UserError(self.env._("This report is not open any more. Report the fault below if it still occurs."))
        email, phone = self._klusheeren_checked_address(email, phone)
        if email and email_normalize(ticket.partner_email or "") == email:
            return ticket  # the reporter follows it already
        Subscriber = self.sudo().with_context(active_test=False)
        field, value = ("email", email) if email else ("phone", phone)
        existing = Subscriber.search([("ticket_id", "=", ticket.id), (field, "=", value)], limit=1)
        if existing:
            if not existing.active:
                existing.active = True  # followed, stopped, and asks again
            return ticket
        try:
            with self.env.cr.savepoint(flush=True):
                Subscriber.create(
                    {"ticket_id": ticket.id, field: value, "lang": lang if lang in self._klusheeren_langs() else False}
                )
        except UniqueViolation:
            # the same address at the same moment: one subscriber
            _logger.info("Me too on %s by the same address twice at once: one subscriber kept", ticket.number)
        return ticket

    @api.model
    def _klusheeren_langs(self):
        return [code for code, _name in self.env["res.lang"].get_installed()]

    def _klusheeren_unsubscribe(self, token):
        """Stop the messages; the link's own token is the check (nothing changes otherwise)."""
        self.ensure_one()
        subscriber = self._klusheeren_from_token(self.id, token)
        if not subscriber:
            return False
        subscriber.active = False
        return True

    def _klusheeren_url(self):
        self.ensure_one()
        # sudo: the link goes to its own subscriber only
        return f"{self.get_base_url()}/klusheeren/follow/{self.id}?token={self.sudo().access_token}"

    # ------------------------------------------------------------------
    # Updates: the same moments as the reporter's, queued (mail queue, SMS queue)
    # ------------------------------------------------------------------
    def _klusheeren_notify(self):
        template = self.env.ref(UPDATE_TEMPLATE, raise_if_not_found=False)
        for subscriber in self.sudo().filtered("active"):
            if subscriber.email and template:
                template.send_mail(subscriber.id, email_layout_xmlid="mail.mail_notification_light")
            elif subscriber.phone and "sms.sms" in self.env:
                self.env["sms.sms"].sudo().create(
                    {"number": subscriber.phone, "body": subscriber._klusheeren_sms_text(), "state": "outgoing"}
                )

    def _klusheeren_status(self):
        self.ensure_one()
        ticket = self.ticket_id.with_context(lang=self.lang or self.env.lang)
        return ticket._klusheeren_public_status()

    def _klusheeren_what(self):
        self.ensure_one()
        return self.ticket_id._klusheeren_public_summary()

    def _klusheeren_sms_text(self):
        env = self.with_context(lang=self.lang or self.env.lang).env
        return env._(
            "%(company)s: %(equipment)s: %(status)s. Follow or stop: %(url)s",
            company=self.company_id.name or self.env.company.name,
            equipment=self.ticket_id.equipment_id.name or "",
            status=self._klusheeren_status(),
            url=self._klusheeren_url(),
        )

    @api.autovacuum
    def _gc_closed(self):
        """Addresses are kept while they are needed: until a month after the ticket closed."""
        since = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.with_context(active_test=False).search(
            [("ticket_id.stage_id.closed", "=", True), ("ticket_id.last_stage_update", "<", since)]
        ).unlink()
