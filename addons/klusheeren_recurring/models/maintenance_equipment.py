from odoo import fields, models

# What decides whether a recurring job applies to a piece of equipment.
SCOPE_FIELDS = {"active", "category_id", "site_id", "company_id"}


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    klusheeren_occurrence_ids = fields.One2many(
        "klusheeren.recurring.occurrence", "equipment_id", string="Planned maintenance"
    )

    def write(self, vals):
        res = super().write(vals)
        if SCOPE_FIELDS & set(vals) and not self.env.context.get("klusheeren_no_replan"):
            # archived or moved: its future occurrences not sent yet are planned anew (or not
            # at all); sent work orders stay
            Job = self.env["klusheeren.recurring.job"].sudo()
            jobs = Job.search([("occurrence_ids.equipment_id", "in", self.ids)])
            jobs._klusheeren_unplan_future(self)
            jobs |= Job.search(
                [("state", "=", "running"), ("scope", "=", "category"), ("category_id", "in", self.category_id.ids)]
            )
            jobs.filtered("date_planned_until")._klusheeren_plan(equipment=self)
        return res
