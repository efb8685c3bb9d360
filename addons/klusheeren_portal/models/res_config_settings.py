from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .klusheeren_action_limit import ACTION_LIMITS

PRIVACY_URL_PARAM = "klusheeren_portal.privacy_url"


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

    klusheeren_action_limit_per_address = fields.Integer(
        string="Actions per address",
        config_parameter="klusheeren_portal.action_limit_per_address",
        default=ACTION_LIMITS["klusheeren_portal.action_limit_per_address"],
        help="Actions that send an e-mail or SMS or create a ticket (contractor page, pre-visit page, rating, "
        "complaint, comments, company portal requests) one internet address may take in each window.",
    )
    klusheeren_action_limit_per_link = fields.Integer(
        string="Actions per link or login",
        config_parameter="klusheeren_portal.action_limit_per_link",
        default=ACTION_LIMITS["klusheeren_portal.action_limit_per_link"],
    )
    klusheeren_action_limit_minutes = fields.Integer(
        string="Window of actions (minutes)",
        config_parameter="klusheeren_portal.action_limit_minutes",
        default=ACTION_LIMITS["klusheeren_portal.action_limit_minutes"],
    )
    klusheeren_privacy_url = fields.Char(
        string="Privacy statement",
        config_parameter=PRIVACY_URL_PARAM,
        help="The address of your privacy statement, linked from the short privacy notice on every public form "
        "(for example https://www.example.nl/privacy). Empty: the notice names the company to contact.",
    )

    @api.constrains("klusheeren_privacy_url")
    def _check_klusheeren_privacy_url(self):
        for settings in self:
            url = settings.klusheeren_privacy_url or ""
            if url and (len(url) > 500 or not url.startswith(("https://", "http://", "/")) or url.startswith("//")):
                raise ValidationError(
                    self.env._("The privacy statement must be a web address (https://…) or a page of this site (/…).")
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
                "klusheeren_action_limit_per_address": 10000,
                "klusheeren_action_limit_per_link": 10000,
                "klusheeren_action_limit_minutes": 24 * 60,
            }
        )
        return bounds

    @api.constrains(
        "klusheeren_rate_limit_per_address",
        "klusheeren_rate_limit_address_minutes",
        "klusheeren_rate_limit_per_sticker",
        "klusheeren_rate_limit_sticker_minutes",
        "klusheeren_action_limit_per_address",
        "klusheeren_action_limit_per_link",
        "klusheeren_action_limit_minutes",
    )
    def _check_klusheeren_rate_limits(self):
        self._klusheeren_check_bounds()
