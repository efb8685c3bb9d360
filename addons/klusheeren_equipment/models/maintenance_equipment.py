from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "image.mixin"]

    site_id = fields.Many2one(
        "res.partner",
        string="Site",
        tracking=True,
        index="btree_not_null",
        help="The location (a contact with its address) where the equipment stands.",
    )
    exact_location = fields.Char(
        help="Where exactly at the site, e.g. 'On the fridge in office 2.21'.",
        tracking=True,
    )
    contractor_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        compute="_compute_contractor_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        domain=[("klusheeren_is_contractor", "=", True)],
        help="Maintenance contractor that receives the work orders of this equipment. "
        "Defaults from the equipment category, else from the site.",
    )

    @api.depends("category_id", "site_id")
    def _compute_contractor_id(self):
        for equipment in self:
            equipment.contractor_id = (
                equipment.category_id.klusheeren_contractor_id
                or equipment.site_id.klusheeren_contractor_id
                or equipment.contractor_id
            )
