from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _klusheeren_private_prefixes(cls):
        """The rating and complaint pages (their access token)."""
        return super()._klusheeren_private_prefixes() + ("/klusheeren/",)
