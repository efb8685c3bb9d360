from odoo import api, fields, models


class KlusheerenWorkOrderReassign(models.TransientModel):
    """Send the job of a refused or cancelled work order to another contractor: the next one
    the rules give, preselected, or one chosen."""

    _name = "klusheeren.work.order.reassign"
    _description = "Send a Work Order to Another Contractor"

    work_order_id = fields.Many2one("klusheeren.work.order", required=True, readonly=True)
    contractor_id = fields.Many2one(
        "res.partner",
        required=True,
        domain=[("klusheeren_is_contractor", "=", True)],
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["klusheeren.work.order"].browse(values.get("work_order_id"))
        if order and "contractor_id" in fields_list and not values.get("contractor_id"):
            following = order.ticket_id._klusheeren_contractor(exclude=order._klusheeren_tried_contractors())
            values["contractor_id"] = following.id
        return values

    def action_confirm(self):
        self.ensure_one()
        return self.work_order_id.action_klusheeren_reassign(self.contractor_id)
