from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    klusheeren_work_order_id = fields.Many2one(
        "klusheeren.work.order", string="Work order", readonly=True, copy=False, index="btree_not_null"
    )
    klusheeren_work_order_line_id = fields.Many2one(
        "klusheeren.work.order.line", string="Work order line", readonly=True, copy=False
    )
