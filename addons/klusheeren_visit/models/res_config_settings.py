from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    klusheeren_visit_reminder_days = fields.Integer(
        string="Reminder days before the appointment",
        config_parameter="klusheeren_visit.reminder_days",
        default=3,
    )
    klusheeren_visit_reminder_hour = fields.Integer(
        string="Reminder hour (location's time)",
        config_parameter="klusheeren_visit.reminder_hour",
        default=10,
        help="Between 8 and 19: reminders never leave at night.",
    )
    klusheeren_visit_vat_percent = fields.Float(
        string="VAT % on the pre-visit page",
        config_parameter="klusheeren_visit.vat_percent",
        default=21.0,
        help="Added to the work order lines (prices excl. VAT) to show prices incl. VAT.",
    )
