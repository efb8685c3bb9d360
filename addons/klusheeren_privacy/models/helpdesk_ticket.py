from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext

from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import rotate_token

# fields of a ticket that copy the reporter's contact details (helpdesk_mgmt)
CONTACT_FIELDS = ("partner_name", "partner_email", "partner_phone")


class HelpdeskTicket(models.Model):
    """A ticket's part of the privacy protocol (``klusheeren_privacy``).

    Every model holding personal data of a reporter or visit contact answers three class
    methods, each called on the superuser model (``res.partner`` hands it over after the
    manager's check, ``_klusheeren_privacy_system``, or from the retention job: the methods add
    no sudo() of their own) and given the contact's tickets (superuser records): ``_klusheeren_privacy_export``
    (a dict of sections for the export file), ``_klusheeren_privacy_files`` (the files the person
    sent) and ``_klusheeren_privacy_erase`` (anonymise). ``res.partner`` finds the models by these
    names, so an addon takes part without depending on this one (klusheeren_visit,
    klusheeren_rating do so).
    """

    _inherit = "helpdesk.ticket"

    klusheeren_anonymized = fields.Boolean(
        string="Contact anonymised",
        readonly=True,
        copy=False,
        index=True,
        help="The reporter's name, e-mail address, phone, links and photos were erased (retention or "
        "on request); the ticket, its work orders, amounts and ratings stay.",
    )

    def write(self, vals):
        if "klusheeren_anonymized" in vals and not self.env.su:
            raise AccessError(self.env._("Only the privacy job marks a ticket as anonymised."))
        return super().write(vals)

    @api.model
    def _klusheeren_privacy_export(self, tickets):
        return {
            "tickets": [
                {
                    "number": ticket.number,
                    "title": ticket.name,
                    "description": html2plaintext(ticket.description or ""),
                    "stage": ticket.stage_id.name,
                    "created": ticket.create_date,
                    "closed": ticket.closed_date,
                    "equipment": ticket.equipment_id.display_name or None,
                    "name_given": ticket.partner_name or None,
                    "email_given": ticket.partner_email or None,
                    "phone_given": ticket.partner_phone or None,
                }
                for ticket in tickets
            ]
        }

    @api.model
    def _klusheeren_privacy_files(self, tickets):
        """The files the reporter sent on ``tickets``: uploaded from a public or portal page (made
        by the public or a portal user, or by the system for the report form and the mail
        gateway), or attached to a message the reporter wrote; never a back-office user's files."""
        Attachment = self.env["ir.attachment"]
        on_tickets = Attachment.search([("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)])
        from_pages = on_tickets.filtered(lambda a: a.create_uid.share or a.create_uid.id == SUPERUSER_ID)
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("author_id", "in", tickets.partner_id.ids),
            ]
        )
        return from_pages | messages.attachment_ids

    @api.model
    def _klusheeren_privacy_erase(self, tickets):
        label = self.env._("Anonymised contact")
        tickets.write(
            {"partner_name": label, "partner_email": False, "partner_phone": False, "klusheeren_anonymized": True}
        )
        # the tracking link stops working: a new token nobody holds
        rotate_token(tickets)
        tickets.message_unsubscribe(partner_ids=tickets.partner_id.ids)
        # earlier values of the contact fields kept by the chatter's tracking
        self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "in", tickets.ids),
                ("field_id.name", "in", CONTACT_FIELDS),
            ]
        ).unlink()
        # the sender's address on the messages the reporter wrote (the author becomes the label)
        self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("author_id", "in", tickets.partner_id.ids),
            ]
        ).write({"email_from": False, "reply_to": False})
