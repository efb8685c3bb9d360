from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _klusheeren_private_prefixes(cls):
        """The contractor's work order pages and the reporter's ticket page (their access token)."""
        return super()._klusheeren_private_prefixes() + ("/my/work-orders", "/my/ticket")
