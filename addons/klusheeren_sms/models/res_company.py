from odoo import models

from ..tools.gateway import KlusheerenSmsGateway


class ResCompany(models.Model):
    _inherit = "res.company"

    def _get_sms_api_class(self):
        """``sms.sms._send`` (the queue job) and the SMS tests of mass mailing: the gateway."""
        self.ensure_one()
        return KlusheerenSmsGateway
