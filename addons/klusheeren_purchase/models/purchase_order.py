from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    klusheeren_export_id = fields.Many2one(
        "klusheeren.finance.export", string="Export batch", readonly=True, copy=False, index="btree_not_null"
    )
