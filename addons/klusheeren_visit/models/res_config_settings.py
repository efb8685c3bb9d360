from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .klusheeren_visit import DECENT_FROM, DECENT_UNTIL


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    klusheeren_visit_reminder_days = fields.Integer(
        string="Reminder days before the appointment",
        config_parameter="klusheeren_visit.reminder_days",
        default=3,
    )
    klusheeren_visit_reminder_hour = fields.Integer(
        string="Reminder hour (location's time)",
        config_parameter="klusheeren_visit.reminder_hour",
        default=10,
        help="Between 8 and 19: reminders never leave at night.",
    )
    klusheeren_visit_vat_percent = fields.Float(
        string="VAT % on the pre-visit page",
        config_parameter="klusheeren_visit.vat_percent",
        default=21.0,
        help="Added to the work order lines (prices excl. VAT) to show prices incl. VAT.",
    )

    @api.model
    def _klusheeren_positive_fields(self):
        bounds = super()._klusheeren_positive_fields()
        bounds["klusheeren_visit_reminder_days"] = 30
        return bounds

    @api.constrains("klusheeren_visit_reminder_days", "klusheeren_visit_reminder_hour", "klusheeren_visit_vat_percent")
    def _check_klusheeren_visit(self):
        self._klusheeren_check_bounds()
        for settings in self:
            if not DECENT_FROM <= settings.klusheeren_visit_reminder_hour < DECENT_UNTIL:
                raise ValidationError(
                    self.env._(
                        "Reminders leave between %(start)s:00 and %(end)s:00: "
                        "choose an hour from %(start)s to %(last)s.",
                        start=DECENT_FROM,
                        end=DECENT_UNTIL,
                        last=DECENT_UNTIL - 1,
                    )
                )
            if not 0 <= settings.klusheeren_visit_vat_percent <= 100:
                raise ValidationError(self.env._("The VAT percentage must lie between 0 and 100."))
