from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    klusheeren_sms_gateway_url = fields.Char(
        string="SMS gateway URL",
        config_parameter="klusheeren_sms.gateway_url",
        help="MessageBird's REST endpoint for messages, or a compatible gateway.",
    )
    klusheeren_sms_gateway_key = fields.Char(
        string="SMS gateway access key", config_parameter="klusheeren_sms.gateway_key"
    )
    klusheeren_sms_originator = fields.Char(
        string="SMS sender",
        config_parameter="klusheeren_sms.originator",
        help="The sender shown on the phone: up to 11 letters and digits, or a phone number.",
    )
    klusheeren_sms_max_attempts = fields.Integer(
        string="SMS attempts",
        config_parameter="klusheeren_sms.max_attempts",
        default=4,
        help="How often an SMS is tried when the gateway is unreachable, before it is sent by e-mail.",
    )

    @api.constrains("klusheeren_sms_max_attempts")
    def _check_klusheeren_sms_max_attempts(self):
        for settings in self:
            if not 1 <= settings.klusheeren_sms_max_attempts <= 20:
                raise ValidationError(self.env._("The number of SMS attempts must lie between 1 and 20."))
