from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren > Public pages: the QR report form's rate limits."""

    _inherit = "res.config.settings"

    klusheeren_rate_limit_per_address = fields.Integer(
        string="Reports per address",
        config_parameter="klusheeren_portal.rate_limit_per_address",
        default=5,
        help="Reports one internet address may send in each window; more are refused for a while.",
    )
    klusheeren_rate_limit_address_minutes = fields.Integer(
        string="Window per address (minutes)",
        config_parameter="klusheeren_portal.rate_limit_address_minutes",
        default=10,
    )
    klusheeren_rate_limit_per_sticker = fields.Integer(
        string="Reports per sticker",
        config_parameter="klusheeren_portal.rate_limit_per_sticker",
        default=20,
        help="Reports one sticker may receive in each window, from any address.",
    )
    klusheeren_rate_limit_sticker_minutes = fields.Integer(
        string="Window per sticker (minutes)",
        config_parameter="klusheeren_portal.rate_limit_sticker_minutes",
        default=60,
    )

    @api.model
    def _klusheeren_positive_fields(self):
        bounds = super()._klusheeren_positive_fields()
        bounds.update(
            {
                "klusheeren_rate_limit_per_address": 10000,
                "klusheeren_rate_limit_address_minutes": 24 * 60,
                "klusheeren_rate_limit_per_sticker": 10000,
                "klusheeren_rate_limit_sticker_minutes": 24 * 60,
            }
        )
        return bounds

    @api.constrains(
        "klusheeren_rate_limit_per_address",
        "klusheeren_rate_limit_address_minutes",
        "klusheeren_rate_limit_per_sticker",
        "klusheeren_rate_limit_sticker_minutes",
    )
    def _check_klusheeren_rate_limits(self):
        self._klusheeren_check_bounds()
