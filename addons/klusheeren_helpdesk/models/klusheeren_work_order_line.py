from odoo import api, fields, models
from odoo.exceptions import UserError

LINE_TYPES = [("material", "Material"), ("labour", "Labour"), ("call_out", "Call-out")]


class KlusheerenWorkOrderLine(models.Model):
    """What the job cost: articles from the catalogue or free text, labour and call-out.
    The contractor enters them on the work order page (``klusheeren.work.order.contractor_save``
    validates them); the back office in the form. Locked with the order once it is done."""

    _name = "klusheeren.work.order.line"
    _description = "Work Order Line"
    _order = "work_order_id, sequence, id"

    work_order_id = fields.Many2one("klusheeren.work.order", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(LINE_TYPES, string="Type", required=True, default="material")
    product_id = fields.Many2one(
        "product.product",
        string="Article",
        domain=[("klusheeren_work_order_ok", "=", True)],
        index="btree_not_null",
        help="An article of the catalogue the back office keeps; empty for free text.",
    )
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit")
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_unit = fields.Monetary(string="Unit price excl. VAT", currency_field="currency_id", aggregator=None)
    price_subtotal = fields.Monetary(
        string="Subtotal excl. VAT",
        compute="_compute_price_subtotal",
        store=True,
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="work_order_id.currency_id")
    company_id = fields.Many2one(related="work_order_id.company_id", store=True, index=True)

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if line.product_id:
                line.uom_id = line.product_id.uom_id
            elif not line.uom_id:
                line.uom_id = self.env.ref(
                    "uom.product_uom_hour" if line.line_type == "labour" else "uom.product_uom_unit"
                )

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_price_subtotal(self):
        for line in self:
            subtotal = line.quantity * line.price_unit
            line.price_subtotal = line.currency_id.round(subtotal) if line.currency_id else subtotal

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.price_unit = self.product_id.standard_price

    # ------------------------------------------------------------------
    # Locked with the order
    # ------------------------------------------------------------------
    def _check_unlocked(self, orders):
        if self.env.su or self.env.user.has_group("klusheeren_base.group_klusheeren_manager"):
            return
        done = orders.filtered(lambda o: o.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "Work order %(name)s is done and locked: only a manager can reopen it.",
                    name=done[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["klusheeren.work.order"].browse(
            {vals["work_order_id"] for vals in vals_list if vals.get("work_order_id")}
        )
        self._check_unlocked(orders)
        return super().create(vals_list)

    def write(self, vals):
        orders = self.work_order_id
        if vals.get("work_order_id"):
            orders |= orders.browse(vals["work_order_id"])
        self._check_unlocked(orders)
        return super().write(vals)

    def unlink(self):
        self._check_unlocked(self.work_order_id)
        return super().unlink()
