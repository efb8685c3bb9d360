# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from types import SimpleNamespace

import pytz

from odoo import models
from odoo.tools import SQL

# The time zone of a company whose address names none: the Netherlands'.
DEFAULT_TZ = "Europe/Amsterdam"
# what the light pages show of the company (``_klusheeren_page_company``)
PAGE_COMPANY_COLUMNS = (
    "id",
    "name",
    "write_date",
    "street",
    "zip",
    "city",
    "phone",
    "email",
    "company_registry",
    "has_logo",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    def _klusheeren_page_company(self):
        """What the light public pages show of the company in their header and footer (name, logo,
        address, phone, e-mail, KvK number), in one narrow query: every public page shows it, and
        reading it through the records (the company's and its contact's rows whole, the logo's file
        to see whether there is one, the address computed from the contact) took a fifth of a
        sticker page's time. The address, phone, e-mail and logo are the company contact's, as
        Odoo's related fields of ``res.company`` take them."""
        company = self[:1] or self.env.company
        row = dict.fromkeys(PAGE_COMPANY_COLUMNS)
        if company.id:  # (a request without a user has no company)
            self.env["res.company"].flush_model()
            self.env["res.partner"].flush_model()
            self.env["ir.attachment"].flush_model()
            row = self.env.execute_query_dict(
                SQL(
                    """SELECT c.id, c.name, c.write_date, p.street, p.zip, p.city, p.phone, p.email, p.company_registry,
                              EXISTS (SELECT 1 FROM ir_attachment a
                                       WHERE a.res_model = 'res.partner' AND a.res_field = 'image_1920'
                                         AND a.res_id = p.id) AS has_logo
                         FROM res_company c JOIN res_partner p ON p.id = c.partner_id
                        WHERE c.id = %s""",
                    company.id,
                )
            )[0]
        return SimpleNamespace(**row, logo_unique=row["write_date"] and row["write_date"].strftime("%Y%m%d%H%M%S"))

    def _klusheeren_tz(self):
        """The name of the company's time zone: the one of its address (the company's contact), else
        Dutch time. Readers with no time zone of their own (anonymous visitors of the public pages,
        reporters, contacts at a location) read every date and time in it."""
        company = self[:1] or self.env.company
        if not company.id:  # a request without a user (auth="none" routes)
            return DEFAULT_TZ
        # every public request asks (ir.http._pre_dispatch): one narrow query instead of reading
        # the company's and its contact's rows whole (7 % of a report's request); no sudo needed,
        # only the time zone of the company's own address is read, nothing else is returned
        self.env["res.partner"].flush_model(["tz"])
        self.env["res.company"].flush_model(["partner_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT p.tz FROM res_company c JOIN res_partner p ON p.id = c.partner_id WHERE c.id = %s",
                company.id,
            )
        )
        name = rows[0][0] if rows else None
        return name if name in pytz.all_timezones_set else DEFAULT_TZ

    def _klusheeren_reader_tz(self, partner):
        """The time zone a person reads dates in: their own, else the company's."""
        name = partner[:1].tz
        return name if name in pytz.all_timezones_set else self._klusheeren_tz()
