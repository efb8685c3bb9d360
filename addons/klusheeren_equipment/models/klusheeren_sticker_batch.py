from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_BATCH = 2400  # 100 sheets


class KlusheerenStickerBatch(models.Model):
    _name = "klusheeren.sticker.batch"
    _description = "Batch of QR Stickers"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Batch", required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    quantity = fields.Integer(
        required=True,
        default=24,
        help="Number of blank stickers to generate; a sheet holds 24.",
    )
    note = fields.Char(help="E.g. for which customer or site the stickers are meant.")
    sticker_ids = fields.One2many("klusheeren.sticker", "batch_id", string="Stickers")
    sticker_count = fields.Integer(compute="_compute_counts")
    free_count = fields.Integer(string="Not in use", compute="_compute_counts")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("quantity")
    def _check_quantity(self):
        for batch in self:
            if not 1 <= batch.quantity <= MAX_BATCH:
                raise ValidationError(self.env._("A batch holds between 1 and %(max)s stickers.", max=MAX_BATCH))

    @api.depends("sticker_ids.state")
    def _compute_counts(self):
        for batch in self:
            batch.sticker_count = len(batch.sticker_ids)
            batch.free_count = len(batch.sticker_ids.filtered(lambda s: s.state == "free"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("klusheeren.sticker.batch")
        batches = super().create(vals_list)
        Sticker = self.env["klusheeren.sticker"]
        for batch in batches:
            Sticker.create([{"batch_id": batch.id, "company_id": batch.company_id.id} for _i in range(batch.quantity)])
        return batches

    def _get_sheet_stickers(self):
        return self.sticker_ids.filtered(lambda s: s.state != "retired").sorted("id")

    def action_view_stickers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_equipment.action_klusheeren_sticker")
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"default_batch_id": self.id}
        return action
