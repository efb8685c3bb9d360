from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    ticket_ids = fields.One2many("helpdesk.ticket", "equipment_id")
    ticket_count = fields.Integer(compute="_compute_klusheeren_counts")
    work_order_count = fields.Integer(compute="_compute_klusheeren_counts")

    def _compute_klusheeren_counts(self):
        tickets = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        orders = dict(
            self.env["klusheeren.work.order"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.ticket_count = tickets.get(equipment, 0)
            equipment.work_order_count = orders.get(equipment, 0)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_mgmt.helpdesk_ticket_action")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action
