from odoo import fields, models


class KlusheerenVisitOption(models.Model):
    """An optional extra service offered on the pre-visit page for equipment of a category
    (seed 004's "Optionele services": description, price incl. VAT, link)."""

    _name = "klusheeren.visit.option"
    _description = "Optional service on the pre-visit page"
    _order = "category_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    category_id = fields.Many2one(
        "maintenance.equipment.category", string="Equipment category", required=True, index=True, ondelete="cascade"
    )
    price_incl = fields.Monetary(string="Price incl. VAT", currency_field="currency_id")
    url = fields.Char(string="Link", help="A page with more about the service.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)

    _price_positive = models.Constraint("CHECK(price_incl >= 0)", "A price is not negative.")
