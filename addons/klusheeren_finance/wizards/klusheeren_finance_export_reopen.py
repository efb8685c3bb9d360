from odoo import fields, models


class KlusheerenFinanceExportReopen(models.TransientModel):
    """Asks the manager why an export batch is reopened."""

    _name = "klusheeren.finance.export.reopen"
    _description = "Reopen Export Batch"

    export_id = fields.Many2one("klusheeren.finance.export", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.export_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
