from odoo import api, fields, models

# what starts, stops, pauses or re-targets a ticket's clocks
WATCHED = {"stage_id", "priority", "category_id", "active", "company_id"}


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "klusheeren.sla.mixin"]

    klusheeren_sla_clock_ids = fields.One2many("klusheeren.sla.clock", "ticket_id", string="Deadlines", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # sudo: the clocks are bookkeeping of the tickets the caller has just created
        self.env["klusheeren.sla.clock"].sudo()._klusheeren_maintain(tickets.ids)
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if WATCHED & set(vals):
            # sudo: the clocks are bookkeeping of the tickets the caller has just written
            self.env["klusheeren.sla.clock"].sudo()._klusheeren_maintain(self.ids)
        return res
