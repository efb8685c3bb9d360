from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.klusheeren_base.tools import settings

from ..tools.gateway import DEFAULT_URL

GATEWAY_URL = settings.register("klusheeren_sms.gateway_url", str, DEFAULT_URL)
GATEWAY_KEY = settings.register("klusheeren_sms.gateway_key", str, "")
ORIGINATOR = settings.register("klusheeren_sms.originator", str, "KlusHeeren")
MAX_ATTEMPTS = settings.register("klusheeren_sms.max_attempts", int, 4, 1, 20)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    klusheeren_sms_gateway_url = settings.field(
        GATEWAY_URL.key,
        string="SMS gateway URL",
        help="MessageBird's REST endpoint for messages, or a compatible gateway.",
    )
    klusheeren_sms_gateway_key = settings.field(GATEWAY_KEY.key, string="SMS gateway access key")
    klusheeren_sms_originator = settings.field(
        ORIGINATOR.key,
        string="SMS sender",
        help="The sender shown on the phone: up to 11 letters and digits, or a phone number.",
    )
    klusheeren_sms_max_attempts = settings.field(
        MAX_ATTEMPTS.key,
        string="SMS attempts",
        help="How often an SMS is tried when the gateway is unreachable, before it is sent by e-mail.",
    )

    @api.constrains("klusheeren_sms_max_attempts")
    def _check_klusheeren_sms_max_attempts(self):
        for record in self:
            if not MAX_ATTEMPTS.minimum <= record.klusheeren_sms_max_attempts <= MAX_ATTEMPTS.maximum:
                raise ValidationError(self.env._("The number of SMS attempts must lie between 1 and 20."))
