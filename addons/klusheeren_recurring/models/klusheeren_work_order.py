from odoo import fields, models


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"

    recurring_job_id = fields.Many2one(
        "klusheeren.recurring.job",
        string="Recurring job",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    planned_date = fields.Date(
        string="Due date", readonly=True, copy=False, help="Planned maintenance: the day it is due."
    )

    # Exactly once, whoever creates it: one work order per job, due date and equipment (a
    # site's job has no equipment: NULLS NOT DISTINCT makes that one per job and date too).
    _klusheeren_planned_once = models.UniqueIndex(
        "(recurring_job_id, planned_date, equipment_id) NULLS NOT DISTINCT WHERE recurring_job_id IS NOT NULL",
        "This planned maintenance already has its work order.",
    )

    def action_done(self):
        res = super().action_done()
        # "N after the last one was completed": the next one is planned at once
        for order in self.filtered(lambda o: o.recurring_job_id.schedule_type == "after_done"):
            order.recurring_job_id.sudo()._klusheeren_plan(equipment=order.equipment_id or None)
        return res
