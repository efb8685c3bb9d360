from odoo import fields, models


class MaintenanceEquipmentCategory(models.Model):
    _inherit = "maintenance.equipment.category"

    klusheeren_contractor_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        domain=[("klusheeren_is_contractor", "=", True)],
        help="Contractor of the equipment of this category, before the site's default contractor.",
    )
