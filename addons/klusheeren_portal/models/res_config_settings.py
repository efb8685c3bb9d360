from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.klusheeren_base.tools import settings

RATE_LIMIT_PER_ADDRESS = settings.register("klusheeren_portal.rate_limit_per_address", int, 5, 1, 10000)
RATE_LIMIT_ADDRESS_MINUTES = settings.register("klusheeren_portal.rate_limit_address_minutes", int, 10, 1, 24 * 60)
RATE_LIMIT_PER_STICKER = settings.register("klusheeren_portal.rate_limit_per_sticker", int, 20, 1, 10000)
RATE_LIMIT_STICKER_MINUTES = settings.register("klusheeren_portal.rate_limit_sticker_minutes", int, 60, 1, 24 * 60)
ACTION_LIMIT_PER_ADDRESS = settings.register("klusheeren_portal.action_limit_per_address", int, 60, 1, 10000)
ACTION_LIMIT_PER_LINK = settings.register("klusheeren_portal.action_limit_per_link", int, 20, 1, 10000)
ACTION_LIMIT_MINUTES = settings.register("klusheeren_portal.action_limit_minutes", int, 60, 1, 24 * 60)
PRIVACY_URL = settings.register("klusheeren_portal.privacy_url", str, "")
PRIVACY_URL_PARAM = PRIVACY_URL.key
RATE_LIMIT_FIELDS = [
    "klusheeren_rate_limit_per_address",
    "klusheeren_rate_limit_address_minutes",
    "klusheeren_rate_limit_per_sticker",
    "klusheeren_rate_limit_sticker_minutes",
    "klusheeren_action_limit_per_address",
    "klusheeren_action_limit_per_link",
    "klusheeren_action_limit_minutes",
]


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren > Public pages: the QR report form's rate limits."""

    _inherit = "res.config.settings"

    klusheeren_rate_limit_per_address = settings.field(
        "klusheeren_portal.rate_limit_per_address",
        string="Reports per address",
        help="Reports one internet address may send in each window; more are refused for a while.",
    )
    klusheeren_rate_limit_address_minutes = settings.field(
        "klusheeren_portal.rate_limit_address_minutes",
        string="Window per address (minutes)",
    )
    klusheeren_rate_limit_per_sticker = settings.field(
        "klusheeren_portal.rate_limit_per_sticker",
        string="Reports per sticker",
        help="Reports one sticker may receive in each window, from any address.",
    )
    klusheeren_rate_limit_sticker_minutes = settings.field(
        "klusheeren_portal.rate_limit_sticker_minutes",
        string="Window per sticker (minutes)",
    )

    klusheeren_action_limit_per_address = settings.field(
        "klusheeren_portal.action_limit_per_address",
        string="Actions per address",
        help="Actions that send an e-mail or SMS or create a ticket (contractor page, pre-visit page, rating, "
        "complaint, comments, company portal requests) one internet address may take in each window.",
    )
    klusheeren_action_limit_per_link = settings.field(
        "klusheeren_portal.action_limit_per_link",
        string="Actions per link or login",
    )
    klusheeren_action_limit_minutes = settings.field(
        "klusheeren_portal.action_limit_minutes",
        string="Window of actions (minutes)",
    )
    klusheeren_privacy_url = settings.field(
        PRIVACY_URL_PARAM,
        string="Privacy statement",
        help="The address of your privacy statement, linked from the short privacy notice on every public form "
        "(for example https://www.example.nl/privacy). Empty: the notice names the company to contact.",
    )

    @api.constrains("klusheeren_privacy_url")
    def _check_klusheeren_privacy_url(self):
        for record in self:
            url = record.klusheeren_privacy_url or ""
            if url and (len(url) > 500 or not url.startswith(("https://", "http://", "/")) or url.startswith("//")):
                raise ValidationError(
                    self.env._("The privacy statement must be a web address (https://…) or a page of this site (/…).")
                )

    @api.constrains(*RATE_LIMIT_FIELDS)
    def _check_klusheeren_rate_limits(self):
        self._klusheeren_check_bounds(RATE_LIMIT_FIELDS)
