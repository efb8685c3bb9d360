from odoo import fields, models


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
