from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.klusheeren_base.tools import settings

# months after a ticket is closed; 0 = keep for ever (off)
RETENTION = settings.register("klusheeren_privacy.retention_months", int, 24, 0, 240)
RETENTION_PARAM, RETENTION_DEFAULT, RETENTION_MAX = RETENTION.key, RETENTION.default, RETENTION.maximum


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren > Privacy."""

    _inherit = "res.config.settings"

    klusheeren_retention_months = settings.field(
        RETENTION_PARAM,
        string="Anonymise reporters after (months)",
        help="The name, e-mail address, phone and photos of reporters and visit contacts are erased this "
        "many months after their last ticket was closed (tickets, work orders, amounts and ratings stay). "
        "0 keeps them for ever.",
    )

    @api.constrains("klusheeren_retention_months")
    def _check_klusheeren_retention(self):
        for record in self:
            if not RETENTION.minimum <= record.klusheeren_retention_months <= RETENTION_MAX:
                raise ValidationError(
                    self.env._(
                        "“%(setting)s” must be between 0 and %(maximum)s (it is %(value)s).",
                        setting=self._fields["klusheeren_retention_months"]._description_string(self.env),
                        maximum=RETENTION_MAX,
                        value=record.klusheeren_retention_months,
                    )
                )
