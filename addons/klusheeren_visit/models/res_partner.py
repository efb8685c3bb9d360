from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.klusheeren_base.tools.boundary import checked_email, one_line

CHANNELS = [("email", "E-mail"), ("sms", "SMS"), ("both", "E-mail and SMS")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    klusheeren_notify_channel = fields.Selection(
        CHANNELS,
        string="Preferred channel",
        tracking=True,
        help="How KlusHeeren reminds this contact of appointments; empty is e-mail. Chosen by the "
        "contact (report form, pre-visit page) or by the back office; every change is logged here.",
    )

    def _klusheeren_channel(self):
        self.ensure_one()
        return self.klusheeren_notify_channel or "email"

    def _klusheeren_phone_country(self):
        self.ensure_one()
        return self.country_id or self.env.company.country_id or self.env.ref("base.nl")

    def _klusheeren_normalize_phone(self, number):
        """A phone number typed by a contact → E.164 (Odoo's phone_validation, phonenumbers);
        a UserError with a clear message when it is not a valid number."""
        self.ensure_one()
        if number and not isinstance(number, str):
            raise UserError(self.env._("Give a phone number."))
        number = (number or "").strip()
        if not number:
            return False
        if len(number) > 40:
            raise UserError(self.env._("Keep the phone number under 40 characters."))
        formatted = self._phone_format(number=number, country=self._klusheeren_phone_country(), force_format="E164")
        if not formatted:
            raise UserError(self.env._("%(number)s is not a valid phone number.", number=number))
        return formatted

    def _klusheeren_contact_values(self, phone, email, channel):
        """Validated values of the contact details a reporter may change (pre-visit page)."""
        self.ensure_one()
        values = {}
        if channel not in dict(CHANNELS):
            raise UserError(self.env._("Choose e-mail, SMS or both."))
        if not isinstance(email, str) or not email.strip():
            raise UserError(self.env._("An e-mail address is needed, so that we can keep you informed."))
        try:
            new_email = checked_email(self.env, email)  # one address, RFC 5322, at most 254 characters
        except UserError as e:
            raise UserError(
                self.env._("%(email)s is not a valid e-mail address.", email=one_line(email.strip()[:100]))
            ) from e
        new_phone = self._klusheeren_normalize_phone(phone)
        if channel in ("sms", "both") and not new_phone:
            raise UserError(self.env._("Give a mobile phone number to receive SMS."))
        if new_email != self.email_normalized:
            values["email"] = new_email
        if (new_phone or False) != (self._phone_format(fname="phone") or self.phone or False):
            values["phone"] = new_phone
        if channel != self._klusheeren_channel():
            values["klusheeren_notify_channel"] = channel
        return values

    def _klusheeren_update_contact(self, phone, email, channel, where):
        """Change the contact's phone, e-mail and preferred channel; logged in its chatter
        (the tracked fields) with a note saying who changed them, and where."""
        self.ensure_one()
        values = self._klusheeren_contact_values(phone, email, channel)
        if not values:
            return False
        # sudo: the caller checked the visit's token (portal_update_contact); values checked above
        partner = self.sudo()
        partner.write(values)
        labels = {
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "klusheeren_notify_channel": self.env._("Preferred channel"),
        }
        partner.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(name)s changed %(fields)s on %(where)s.",
                name=partner.name,
                fields=", ".join(labels[key] for key in values),
                where=where,
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return values
