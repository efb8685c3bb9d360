from odoo import fields, models

from .klusheeren_sla_clock import SLA_STATUS


class KlusheerenSlaMixin(models.AbstractModel):
    """The summary the SLA job stores on a ticket and a work order (for lists, kanban cards and
    filters): the nearest open deadline and a status."""

    _name = "klusheeren.sla.mixin"
    _description = "Deadlines of a ticket or work order"

    klusheeren_sla_deadline = fields.Datetime(
        string="Deadline",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The nearest deadline of the open service level targets.",
    )
    klusheeren_sla_status = fields.Selection(
        SLA_STATUS,
        string="SLA",
        readonly=True,
        copy=False,
        help="On track, near its deadline, late, paused (waiting on the customer or on parts), or, "
        "when every step is reached, met or missed.",
    )
