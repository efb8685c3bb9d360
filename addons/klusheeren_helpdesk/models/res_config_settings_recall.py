# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.klusheeren_base.tools import settings

from .helpdesk_ticket_recall import RECALL_BY_RULES, RECALL_DAYS


# a file of its own while issue 23 splits the addon's models (the lead may fold it in)
class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren, Tickets: the recall period of repeat failures (issue 24)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    klusheeren_recall_days = settings.field(
        RECALL_DAYS,
        string="Repeat failure within (days)",
        help="A report on equipment whose last work order was completed less than this many days ago is "
        "a repeat failure; first-time fix counts the completed work orders without one.",
    )
    klusheeren_recall_by_rules = settings.field(
        RECALL_BY_RULES,
        string="Route repeat failures by the rules",
        help="Off: the work order of a repeat failure goes back to the contractor of the earlier work order, "
        "linked to it and under warranty. On: the responsibility rules choose the contractor, as for any report.",
    )

    @api.constrains("klusheeren_recall_days")
    def _check_klusheeren_recall_days(self):
        self._klusheeren_check_bounds(["klusheeren_recall_days"])
