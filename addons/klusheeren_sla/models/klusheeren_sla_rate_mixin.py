from odoo import fields, models

# a step counts once it is decided: met, missed, or late while still open (a sure miss)
RATE = "CASE {c}.state WHEN 'met' THEN 100.0 WHEN 'missed' THEN 0.0 WHEN 'late' THEN 0.0 END"


class KlusheerenSlaRateMixin(models.AbstractModel):
    """The shares of met deadlines in a statistics view (averages of 100 and 0 per row, empty while
    a step is undecided)."""

    _name = "klusheeren.sla.rate.mixin"
    _description = "Shares of met deadlines"

    sla_met_rate = fields.Float(
        string="SLA met (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share of the rows all of whose decided deadlines were met.",
    )
    sla_accept_rate = fields.Float(
        string="Accepted in time (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share of the work orders accepted before the deadline.",
    )
    sla_contact_rate = fields.Float(
        string="Site contacted in time (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share of the work orders whose appointment was planned in time.",
    )
    sla_done_rate = fields.Float(
        string="Done in time (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Share done before the deadline (the ticket resolved, the work order completed).",
    )
