from odoo import fields, models


class MaintenanceEquipmentCategory(models.Model):
    _inherit = "maintenance.equipment.category"

    klusheeren_article_ids = fields.One2many("document.page", "klusheeren_category_id", string="Self-help articles")
    klusheeren_deflection_count = fields.Integer(
        string="Solved by self-help",
        compute="_compute_klusheeren_deflection_count",
        groups="klusheeren_base.group_klusheeren_user",
    )

    def _compute_klusheeren_deflection_count(self):
        counts = dict(
            self.env["klusheeren.selfhelp.deflection"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.klusheeren_deflection_count = counts.get(category, 0)
