from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.klusheeren_base.tools import settings

from .klusheeren_visit import DECENT_FROM, DECENT_UNTIL

REMINDER_DAYS = settings.register("klusheeren_visit.reminder_days", int, 3, 1, 30)
# reminders never leave at night: an hour from DECENT_FROM to the last one before DECENT_UNTIL
REMINDER_HOUR = settings.register("klusheeren_visit.reminder_hour", int, 10, DECENT_FROM, DECENT_UNTIL - 1)
VAT_PERCENT = settings.register("klusheeren_visit.vat_percent", float, 21.0, 0.0, 100.0)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    klusheeren_visit_reminder_days = settings.field(REMINDER_DAYS.key, string="Reminder days before the appointment")
    klusheeren_visit_reminder_hour = settings.field(
        REMINDER_HOUR.key,
        string="Reminder hour (location's time)",
        help="Between 8 and 19: reminders never leave at night.",
    )
    klusheeren_visit_vat_percent = settings.field(
        VAT_PERCENT.key,
        string="VAT % on the pre-visit page",
        help="Added to the work order lines (prices excl. VAT) to show prices incl. VAT.",
    )

    @api.constrains("klusheeren_visit_reminder_days", "klusheeren_visit_reminder_hour", "klusheeren_visit_vat_percent")
    def _check_klusheeren_visit(self):
        self._klusheeren_check_bounds(["klusheeren_visit_reminder_days"])
        for record in self:
            if not REMINDER_HOUR.minimum <= record.klusheeren_visit_reminder_hour <= REMINDER_HOUR.maximum:
                raise ValidationError(
                    self.env._(
                        "Reminders leave between %(start)s:00 and %(end)s:00: "
                        "choose an hour from %(start)s to %(last)s.",
                        start=DECENT_FROM,
                        end=DECENT_UNTIL,
                        last=DECENT_UNTIL - 1,
                    )
                )
            if not VAT_PERCENT.minimum <= record.klusheeren_visit_vat_percent <= VAT_PERCENT.maximum:
                raise ValidationError(self.env._("The VAT percentage must lie between 0 and 100."))
