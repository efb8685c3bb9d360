# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"

    def _klusheeren_token_alive(self):
        # a cancelled order's link is dead (its token is also rotated on cancelling); a refused
        # order's link still shows the number and its fate
        return super()._klusheeren_token_alive() and self.state != "cancelled"
