# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import ValidationError

from ..tools import settings as kh_settings


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def _klusheeren_check_bounds(self, names):
        """Refuse a value of the fields ``names`` (settings declared with ``tools.settings.field``)
        outside the bounds of their declaration, with a message naming the setting."""
        for settings in self:
            for name in names:
                field = self._fields[name]
                setting = kh_settings.get(field.config_parameter)
                value = settings[name]
                label = field._description_string(self.env)
                if setting.minimum is not None and value < setting.minimum:
                    raise ValidationError(
                        self.env._(
                            "“%(setting)s” must be at least %(minimum)s (it is %(value)s).",
                            setting=label,
                            minimum=setting.minimum,
                            value=value,
                        )
                    )
                if setting.maximum is not None and value > setting.maximum:
                    raise ValidationError(
                        self.env._(
                            "“%(setting)s” can be at most %(maximum)s (it is %(value)s).",
                            setting=label,
                            maximum=setting.maximum,
                            value=value,
                        )
                    )
