# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from types import SimpleNamespace

import pytz

from odoo import models

# The time zone of a company whose address names none: the Netherlands'.
DEFAULT_TZ = "Europe/Amsterdam"


class ResCompany(models.Model):
    _inherit = "res.company"

    def _klusheeren_page_company(self):
        """What the light public pages show of the company in their header and footer (name, logo,
        address, phone, e-mail, KvK number). Only these fields are read (``fetch``), and the logo
        only by its size: read through the records whole (the company's and its contact's wide
        rows, the logo's file to see whether there is one, the address computed from the contact)
        it took a fifth of a sticker page's time. The address is the company contact's, as Odoo's
        ``res.company`` computes it for a company without a child address."""
        # sudo: the company's public face (what every page's footer shows), read for any visitor
        company = (self[:1] or self.env.company).sudo()
        company.fetch(["name", "partner_id", "write_date"])
        contact = company.partner_id
        contact.fetch(["street", "zip", "city", "phone", "email", "company_registry"])
        return SimpleNamespace(
            id=company.id,
            name=company.name,
            has_logo=bool(company.with_context(bin_size=True).logo),
            logo_unique=company.write_date and company.write_date.strftime("%Y%m%d%H%M%S"),
            **{name: contact[name] for name in ("street", "zip", "city", "phone", "email", "company_registry")},
        )

    def _klusheeren_tz(self):
        """The name of the company's time zone: the one of its address (the company's contact), else
        Dutch time. Readers with no time zone of their own (anonymous visitors of the public pages,
        reporters, contacts at a location) read every date and time in it."""
        # sudo: the time zone of the company's own address, read for every visitor (an anonymous
        # one may not read the company's contact); nothing else of it is read or returned. Every
        # request asks (ir.http._pre_dispatch): only these two fields are read, not the rows whole
        company = (self[:1] or self.env.company).sudo()
        company.fetch(["partner_id"])
        company.partner_id.fetch(["tz"])
        name = company.partner_id.tz
        return name if name in pytz.all_timezones_set else DEFAULT_TZ

    def _klusheeren_reader_tz(self, partner):
        """The time zone a person reads dates in: their own, else the company's."""
        name = partner[:1].tz
        return name if name in pytz.all_timezones_set else self._klusheeren_tz()
