from odoo import api, fields, models


class KlusheerenRecurringJobLine(models.Model):
    _name = "klusheeren.recurring.job.line"
    _description = "Recurring Job Expected Material"
    _order = "job_id, sequence, id"

    job_id = fields.Many2one("klusheeren.recurring.job", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Article")
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(default=1.0)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
