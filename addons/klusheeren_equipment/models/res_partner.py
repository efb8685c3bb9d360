from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    klusheeren_is_contractor = fields.Boolean(
        string="Maintenance Contractor",
        help="This contact carries out maintenance work orders.",
    )
    klusheeren_contractor_id = fields.Many2one(
        "res.partner",
        string="Default Contractor",
        domain=[("klusheeren_is_contractor", "=", True)],
        help="Contractor of the equipment at this site, unless the equipment category names one.",
    )
