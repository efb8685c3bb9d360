# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize_all


class KlusheerenTicketSubscriber(models.Model):
    """The "me too" subscriptions in a person's export and erasure (docs/PRIVACY.md).

    A subscriber is no contact and hangs on someone else's ticket, so the ticket-based protocol
    (``_klusheeren_privacy_export(tickets)``…) does not find it: ``res.partner`` asks for the
    subscriptions made with the person's e-mail addresses and phone numbers (the contact's, and
    the copies given on their tickets). Called on superuser records only, after the manager's
    check (``res.partner._klusheeren_privacy_system``): no sudo() of its own."""

    _inherit = "klusheeren.ticket.subscriber"

    @api.model
    def _klusheeren_privacy_of(self, partner, tickets):
        """The subscriptions (stopped ones too) made with ``partner``'s addresses or numbers."""
        emails = set()
        phones = set()
        for email, phone in [(partner.email, partner.phone), *((t.partner_email, t.partner_phone) for t in tickets)]:
            emails.update(email_normalize_all(email or ""))
            if phone:
                try:
                    # the form the "me too" form stores a number in (E.164 when phone_validation is there)
                    phones.add(self._klusheeren_checked_address(None, phone)[1])
                except UserError:
                    continue  # not a number anyone could have subscribed with
        if not emails and not phones:
            return self.browse()
        return self.with_context(active_test=False).search(
            ["|", ("email", "in", sorted(emails)), ("phone", "in", sorted(phones))], order="id"
        )

    def _klusheeren_privacy_export_rows(self):
        return [
            {
                "report": subscriber.ticket_id.number,
                "equipment": subscriber.ticket_id.equipment_id.display_name or None,
                "email": subscriber.email or None,
                "phone": subscriber.phone or None,
                "language": subscriber.lang or None,
                "since": subscriber.create_date,
                "active": subscriber.active,
            }
            for subscriber in self
        ]
