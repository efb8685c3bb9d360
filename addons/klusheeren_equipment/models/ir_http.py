# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _klusheeren_private_prefixes(cls):
        """The sticker's pages (``/qr/<token>``): the URL is the sticker's secret."""
        return super()._klusheeren_private_prefixes() + ("/qr/",)

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """Whoever has no time zone of their own (the anonymous visitor of a sticker, reporter,
        contractor or pre-visit page) reads dates and times in the company's: set before the website
        would guess one from the visitor's IP address (a server abroad, a phone on roaming)."""
        if not request.env.context.get("tz"):
            request.update_context(tz=request.env.company._klusheeren_tz())
        return super()._pre_dispatch(rule, args)
