# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import models

# The time zone of a company whose address names none: the Netherlands'.
DEFAULT_TZ = "Europe/Amsterdam"


class ResCompany(models.Model):
    _inherit = "res.company"

    def _klusheeren_tz(self):
        """The name of the company's time zone: the one of its address (the company's contact), else
        Dutch time. Readers with no time zone of their own (anonymous visitors of the public pages,
        reporters, contacts at a location) read every date and time in it."""
        # sudo: the time zone of the company's own address, read for every visitor (an anonymous
        # one may not read the company's contact); nothing else of it is read or returned
        name = (self[:1] or self.env.company).sudo().partner_id.tz
        return name if name in pytz.all_timezones_set else DEFAULT_TZ

    def _klusheeren_reader_tz(self, partner):
        """The time zone a person reads dates in: their own, else the company's."""
        name = partner[:1].tz
        return name if name in pytz.all_timezones_set else self._klusheeren_tz()
