# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import max_file_mb

# Pages whose URL carries a secret (a sticker or an access token) or personal data.
TOKEN_PAGE_PREFIXES = (
    "/qr/",
    "/my/work-orders",
    "/my/ticket",
    "/my/visits",
    "/klusheeren/",
)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _klusheeren_upload_max_mb(self):
        """The upload limit in MB (Settings > KlusHeeren), for the hints of the pages' file fields."""
        return max_file_mb(self.env)

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """Whoever has no time zone of their own (the anonymous visitor of a sticker, reporter,
        contractor or pre-visit page) reads dates and times in the company's: set before the website
        would guess one from the visitor's IP address (a server abroad, a phone on roaming)."""
        if not request.env.context.get("tz"):
            request.update_context(tz=request.env.company._klusheeren_tz())
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _post_dispatch(cls, response):
        """Token pages are never framed (clickjacking of their buttons) and never leak their
        URL, token included, to another site through the Referer header."""
        res = super()._post_dispatch(response)
        path = request.httprequest.path
        if path.startswith(TOKEN_PAGE_PREFIXES) and hasattr(response, "headers"):
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers.setdefault("Cache-Control", "no-store")
        return res
