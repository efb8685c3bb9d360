from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    klusheeren_work_order_ok = fields.Boolean(
        string="On work orders",
        help="Contractors may pick this article for the lines of their work orders (materials, "
        "labour, call-out). Only such articles are offered on the work order page.",
    )
