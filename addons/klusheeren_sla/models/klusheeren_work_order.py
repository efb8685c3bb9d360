from odoo import api, fields, models

# what starts, stops or pauses a work order's clocks
WATCHED = {"state", "date_sent", "date_accepted", "date_done", "date_refused", "appointment_date", "ticket_id"}


class KlusheerenWorkOrder(models.Model):
    _name = "klusheeren.work.order"
    _inherit = ["klusheeren.work.order", "klusheeren.sla.mixin"]

    klusheeren_sla_clock_ids = fields.One2many(
        "klusheeren.sla.clock", "work_order_id", string="Deadlines", readonly=True
    )
    klusheeren_date_planned = fields.Datetime(
        string="Appointment planned on",
        readonly=True,
        copy=False,
        help="When the contractor first saved an appointment: the end of the clock 'Contact the site'.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._klusheeren_sla_planned()
        orders._klusheeren_sla_update()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if WATCHED & set(vals):
            self._klusheeren_sla_planned()
            self._klusheeren_sla_update()
        return res

    def _klusheeren_sla_planned(self):
        planned = self.filtered(lambda o: o.appointment_date and not o.klusheeren_date_planned)
        if planned:
            # sudo: a date of the record the caller has just written (a contractor saving it)
            planned.sudo().write({"klusheeren_date_planned": fields.Datetime.now()})

    def _klusheeren_sla_update(self):
        """The deadlines of these orders' tickets, now (the job keeps them up to date later)."""
        if self:
            # sudo: the clocks are bookkeeping of the records the caller has just written
            self.env["klusheeren.sla.clock"].sudo()._klusheeren_maintain(self.sudo().ticket_id.ids)

    def _klusheeren_sla_portal_deadlines(self):
        """The open deadlines the contractor sees on the work order page: (step, deadline, late)."""
        self.ensure_one()
        labels = {
            "accept": self.env._("Accept before"),
            "contact": self.env._("Contact the site before"),
            "done": self.env._("Complete before"),
        }
        clocks = self.sudo().klusheeren_sla_clock_ids.filtered(lambda c: c.state in ("running", "late"))
        return [(labels[c.kind], c.date_deadline, c.state == "late") for c in clocks.sorted("date_deadline")]
