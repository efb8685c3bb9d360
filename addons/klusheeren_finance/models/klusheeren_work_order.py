from odoo import fields, models
from odoo.exceptions import UserError


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"

    # one column: a work order belongs to at most one batch (bound by a conditional UPDATE)
    klusheeren_export_id = fields.Many2one(
        "klusheeren.finance.export",
        string="Export batch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    def action_reopen(self, reason):
        exported = self.filtered(lambda o: o.klusheeren_export_id.state == "exported")
        if exported:
            raise UserError(
                self.env._(
                    "Work order %(name)s has been exported to finance in batch %(batch)s: reopen the batch first.",
                    name=exported[0].name,
                    batch=exported[0].klusheeren_export_id.name,
                )
            )
        return super().action_reopen(reason)
