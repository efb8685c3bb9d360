from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _klusheeren_private_prefixes(cls):
        """The contact's pre-visit page (its access token)."""
        return super()._klusheeren_private_prefixes() + ("/my/visits",)
