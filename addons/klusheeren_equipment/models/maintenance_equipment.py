from odoo import api, fields, models
from odoo.exceptions import AccessError


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "image.mixin"]

    site_id = fields.Many2one(
        "res.partner",
        tracking=True,
        index="btree_not_null",
        help="The location (a contact with its address) where the equipment stands.",
    )
    exact_location = fields.Char(
        help="Where exactly at the site, e.g. 'On the fridge in office 2.21'.",
        tracking=True,
    )
    contractor_id = fields.Many2one(
        "res.partner",
        compute="_compute_contractor_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        domain=[("klusheeren_is_contractor", "=", True)],
        help="Maintenance contractor that receives the work orders of this equipment. "
        "Defaults from the equipment category, else from the site.",
    )
    sticker_id = fields.Many2one(
        "klusheeren.sticker",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
        ondelete="set null",
    )
    sticker_code = fields.Char(related="sticker_id.name", string="Sticker Code", store=True, index="trigram")
    sticker_url = fields.Char(
        related="sticker_id.url",
        string="Sticker URL",
        groups="klusheeren_base.group_klusheeren_user",
    )
    sticker_qr = fields.Binary(
        related="sticker_id.qr_image",
        string="QR Code",
        groups="klusheeren_base.group_klusheeren_user",
    )

    @api.depends("category_id", "site_id")
    def _compute_contractor_id(self):
        for equipment in self:
            equipment.contractor_id = (
                equipment.category_id.klusheeren_contractor_id
                or equipment.site_id.klusheeren_contractor_id
                or equipment.contractor_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        # A sticker given at creation (a blank one, scanned) is bound through _bind, which
        # refuses a sticker already in use; otherwise the equipment gets a new sticker of its
        # own (a duplicate too: the sticker is never copied).
        given = [vals.pop("sticker_id", False) for vals in vals_list]
        equipment = super().create(vals_list)
        Sticker = self.env["klusheeren.sticker"].sudo()
        auto = not self.env.context.get("klusheeren_no_sticker")
        new_for = equipment.browse(
            [eq.id for eq, sticker_id in zip(equipment, given, strict=True) if not sticker_id and auto]
        )
        new_stickers = Sticker.create([{"company_id": eq.company_id.id or self.env.company.id} for eq in new_for])
        pairs = list(zip(new_for, new_stickers, strict=True)) + [
            (eq, Sticker.browse(sticker_id)) for eq, sticker_id in zip(equipment, given, strict=True) if sticker_id
        ]
        for eq, sticker in pairs:
            sticker._bind(eq)
        return equipment

    def action_replace_sticker(self):
        """A new sticker for a lost or damaged one; the old URL stops working."""
        if not self.env.user.has_group("klusheeren_base.group_klusheeren_manager"):
            raise AccessError(self.env._("Only a KlusHeeren manager can replace a sticker."))
        # sudo: the manager's right was checked above; stickers are written by the system only
        Sticker = self.env["klusheeren.sticker"].sudo()
        for equipment in self:
            old = equipment.sticker_id
            new = Sticker.create({"company_id": equipment.company_id.id or self.env.company.id})
            if old:
                old._retire()
                equipment.sticker_id = False
            new._bind(equipment)
            equipment.message_post(
                body=self.env._(
                    "Sticker %(old)s replaced by %(new)s: the old sticker no longer works.",
                    old=old.name or "-",
                    new=new.name,
                )
            )
        return True

    def _get_sheet_stickers(self):
        return self.sticker_id.filtered(lambda s: s.state == "bound")

    def action_print_stickers(self):
        return self.env.ref("klusheeren_equipment.action_report_sticker_sheet").report_action(self)
