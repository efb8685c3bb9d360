# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.http import request

from ..tools import settings
from ..tools.upload import max_file_mb

# what every private page (see ``_klusheeren_private_prefixes``) answers with
PRIVATE_PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _klusheeren_private_prefixes(cls):
        """The URL prefixes of the pages whose URL carries a secret (a sticker or an access
        token) or personal data. Each addon adds the prefixes of its own pages::

            @classmethod
            def _klusheeren_private_prefixes(cls):
                return super()._klusheeren_private_prefixes() + ("/my/visits",)
        """
        return ()

    @api.model
    def _klusheeren_upload_max_mb(self):
        """The upload limit in MB (Settings > KlusHeeren), for the hints of the pages' file fields."""
        return max_file_mb(self.env)

    @api.model
    def _klusheeren_setting(self, key):
        """The value of the KlusHeeren setting ``key`` (``tools.settings.read``), for templates."""
        return settings.read(self.env, key)

    @classmethod
    def _post_dispatch(cls, response):
        """Private pages are never framed (clickjacking of their buttons) and never leak their
        URL, token included, to another site through the Referer header."""
        res = super()._post_dispatch(response)
        prefixes = cls._klusheeren_private_prefixes()
        if prefixes and request.httprequest.path.startswith(prefixes) and hasattr(response, "headers"):
            response.headers.update(PRIVATE_PAGE_HEADERS)
            response.headers.setdefault("Cache-Control", "no-store")
        return res
