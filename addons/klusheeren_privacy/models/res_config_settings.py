from odoo import api, fields, models
from odoo.exceptions import ValidationError

RETENTION_PARAM = "klusheeren_privacy.retention_months"
RETENTION_DEFAULT = 24  # months after a ticket is closed; 0 = keep for ever (off)
RETENTION_MAX = 240


def retention_months(env):
    """The retention period in months (``RETENTION_DEFAULT`` when the parameter is missing or
    not a number; 0 = retention off)."""
    try:
        value = int(env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, RETENTION_DEFAULT))
    except (TypeError, ValueError):
        return RETENTION_DEFAULT
    return min(max(value, 0), RETENTION_MAX)


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren > Privacy."""

    _inherit = "res.config.settings"

    klusheeren_retention_months = fields.Integer(
        string="Anonymise reporters after (months)",
        config_parameter=RETENTION_PARAM,
        default=RETENTION_DEFAULT,
        help="The name, e-mail address, phone and photos of reporters and visit contacts are erased this "
        "many months after their last ticket was closed (tickets, work orders, amounts and ratings stay). "
        "0 keeps them for ever.",
    )

    @api.constrains("klusheeren_retention_months")
    def _check_klusheeren_retention(self):
        for settings in self:
            if not 0 <= settings.klusheeren_retention_months <= RETENTION_MAX:
                raise ValidationError(
                    self.env._(
                        "“%(setting)s” must be between 0 and %(maximum)s (it is %(value)s).",
                        setting=self._fields["klusheeren_retention_months"]._description_string(self.env),
                        maximum=RETENTION_MAX,
                        value=settings.klusheeren_retention_months,
                    )
                )
