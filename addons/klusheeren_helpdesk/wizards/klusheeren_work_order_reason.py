from odoo import fields, models


class KlusheerenWorkOrderReason(models.TransientModel):
    """Asks the reason of a refusal, a pause or a reopening from the backend."""

    _name = "klusheeren.work.order.reason"
    _description = "Work Order Transition Reason"

    work_order_ids = fields.Many2many("klusheeren.work.order")
    action = fields.Selection([("refuse", "Refuse"), ("hold", "Parts on order"), ("reopen", "Reopen")], required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        getattr(self.work_order_ids, f"action_{self.action}")(self.reason)
        return {"type": "ir.actions.act_window_close"}
