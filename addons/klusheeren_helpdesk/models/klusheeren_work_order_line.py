from odoo import api, fields, models


class KlusheerenWorkOrderLine(models.Model):
    _name = "klusheeren.work.order.line"
    _description = "Work Order Material Line"
    _order = "work_order_id, sequence, id"

    work_order_id = fields.Many2one(
        "klusheeren.work.order", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Article")
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(default=1.0)
    price_unit = fields.Monetary(string="Unit price", currency_field="currency_id")
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="work_order_id.currency_id")

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.price_unit = self.product_id.standard_price
