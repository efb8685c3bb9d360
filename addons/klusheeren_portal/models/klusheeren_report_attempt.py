from datetime import timedelta

from odoo import api, fields, models


class KlusheerenReportAttempt(models.Model):
    """Fault reports sent through the public QR form, counted for the rate limit."""

    _name = "klusheeren.report.attempt"
    _description = "QR Report Attempt"
    _log_access = False

    address = fields.Char(required=True, index=True)
    sticker_id = fields.Many2one("klusheeren.sticker", index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _limits(self):
        ICP = self.env["ir.config_parameter"].sudo()
        return (
            int(ICP.get_param("klusheeren_portal.rate_limit_per_address", 5)),
            int(ICP.get_param("klusheeren_portal.rate_limit_address_minutes", 10)),
            int(ICP.get_param("klusheeren_portal.rate_limit_per_sticker", 20)),
            int(ICP.get_param("klusheeren_portal.rate_limit_sticker_minutes", 60)),
        )

    @api.model
    def _klusheeren_allow(self, address, sticker):
        """Register one report from ``address`` on ``sticker``; False when over the limits."""
        per_address, address_minutes, per_sticker, sticker_minutes = self._limits()
        now = fields.Datetime.now()
        Attempt = self.sudo()
        if Attempt.search_count(
            [("address", "=", address), ("date", ">", now - timedelta(minutes=address_minutes))]
        ) >= per_address:
            return False
        if Attempt.search_count(
            [("sticker_id", "=", sticker.id), ("date", ">", now - timedelta(minutes=sticker_minutes))]
        ) >= per_sticker:
            return False
        Attempt.create({"address": address, "sticker_id": sticker.id, "date": now})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        self.sudo().search([("date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
