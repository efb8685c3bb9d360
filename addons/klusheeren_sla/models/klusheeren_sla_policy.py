from odoo import api, fields, models

from .klusheeren_sla_clock import KINDS

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]


class KlusheerenSlaPolicy(models.Model):
    """A promise: how many working hours of a calendar a step may take, for tickets of a priority
    and a category (empty: any). The most specific active policy of a step applies (category,
    then priority, then sequence); a step no policy covers has no clock."""

    _name = "klusheeren.sla.policy"
    _description = "Service level target"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(KINDS, string="Step", required=True)
    priority = fields.Selection(PRIORITIES, help="Empty: tickets of any priority.")
    category_id = fields.Many2one(
        "helpdesk.ticket.category", ondelete="cascade", help="Empty: tickets of any category."
    )
    company_id = fields.Many2one("res.company", help="Empty: every company.")
    hours = fields.Float(string="Working hours", required=True, help="Working hours of the calendar the step may take.")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working time",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env.ref("klusheeren_sla.calendar_working_days", raise_if_not_found=False),
        help="The hours that count: outside them (nights, weekends, public holidays as leaves of the "
        "calendar) the clock stands still.",
    )
    warning_percent = fields.Float(
        string="Warning at (%)",
        default=75.0,
        help="The responsible gets an activity when this share of the time is used.",
    )

    _hours_positive = models.Constraint("CHECK(hours > 0)", "The working hours of a target are more than zero.")
    _warning_range = models.Constraint(
        "CHECK(warning_percent > 0 AND warning_percent < 100)", "The warning comes between 0 and 100 % of the time."
    )

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env["klusheeren.sla.clock"]._klusheeren_trigger()
        return policies

    def write(self, vals):
        res = super().write(vals)
        self.env["klusheeren.sla.clock"]._klusheeren_trigger()
        return res
