from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.klusheeren_base.tools.upload import DEFAULT_MAX_MB, UPLOAD_MAX_MB_PARAM

UPLOAD_MAX_MB_LIMIT = 100  # the proxy takes request bodies of 128 MB (deploy/nginx)


def positive_param(env, key, default):
    """The whole number in system parameter ``key``; ``default`` when it is missing, not a
    number or below 1 (the settings screen refuses those; a parameter edited by hand may not)."""
    try:
        value = int(env["ir.config_parameter"].sudo().get_param(key, default))
    except (TypeError, ValueError):
        return default
    return value if value >= 1 else default


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren: what the scheduled jobs and the public pages read from the system
    parameters (``config_parameter``: saved there, read there)."""

    _inherit = "res.config.settings"

    klusheeren_reminder_delay_hours = fields.Integer(
        string="Remind contractors every (hours)",
        config_parameter="klusheeren_helpdesk.reminder_delay_hours",
        default=24,
        help="A sent work order not accepted after this many hours gets a reminder, and again after as many hours.",
    )
    klusheeren_reminder_max = fields.Integer(
        string="Reminders before the back office is told",
        config_parameter="klusheeren_helpdesk.reminder_max",
        default=3,
        help="After this many reminders the responsible gets an activity instead of another reminder.",
    )
    klusheeren_autoclose_days = fields.Integer(
        string="Close resolved tickets after (days)",
        config_parameter="klusheeren_helpdesk.autoclose_days",
        default=7,
        help="A resolved ticket without an answer from the reporter is closed after this many days.",
    )
    klusheeren_upload_max_mb = fields.Integer(
        string="Largest file (MB)",
        config_parameter=UPLOAD_MAX_MB_PARAM,
        default=DEFAULT_MAX_MB,
        help="The largest photo or PDF the public pages accept (report form, contractor page, "
        "reporter page, complaints, pre-visit page, company portal).",
    )

    @api.model
    def _klusheeren_positive_fields(self):
        """``{field name: upper bound or None}`` of the settings that must be at least 1 (override)."""
        return {
            "klusheeren_reminder_delay_hours": 24 * 30,
            "klusheeren_reminder_max": 50,
            "klusheeren_autoclose_days": 365,
            "klusheeren_upload_max_mb": UPLOAD_MAX_MB_LIMIT,
        }

    @api.constrains(
        "klusheeren_reminder_delay_hours",
        "klusheeren_reminder_max",
        "klusheeren_autoclose_days",
        "klusheeren_upload_max_mb",
    )
    def _check_klusheeren_positive(self):
        self._klusheeren_check_bounds()

    def _klusheeren_check_bounds(self):
        bounds = self._klusheeren_positive_fields()
        for settings in self:
            for name, maximum in bounds.items():
                value = settings[name]
                label = self._fields[name]._description_string(self.env)
                if value < 1:
                    raise ValidationError(
                        self.env._("“%(setting)s” must be at least 1 (it is %(value)s).", setting=label, value=value)
                    )
                if maximum and value > maximum:
                    raise ValidationError(
                        self.env._(
                            "“%(setting)s” can be at most %(maximum)s (it is %(value)s).",
                            setting=label,
                            maximum=maximum,
                            value=value,
                        )
                    )
