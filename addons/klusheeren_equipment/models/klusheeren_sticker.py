import base64
import hmac
import io
import re
import secrets

import qrcode

from odoo import api, fields, models
from odoo.exceptions import UserError

# 24 random bytes = 192 bits, 32 URL-safe characters ([A-Za-z0-9_-]).
TOKEN_BYTES = 24
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22,128}")
# Fields a registration by scanning may set on the new equipment.
REGISTER_FIELDS = (
    "name",
    "category_id",
    "site_id",
    "exact_location",
    "serial_no",
    "model",
    "contractor_id",
    "image_1920",
    "note",
)


class KlusheerenSticker(models.Model):
    _name = "klusheeren.sticker"
    _description = "QR Sticker"
    _order = "id desc"

    name = fields.Char(
        string="Sticker Code",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self._generate_token(),
        groups="klusheeren_base.group_klusheeren_user",
        help="Secret part of the sticker URL. It never changes: a new token means a new sticker.",
    )
    state = fields.Selection(
        [("free", "Not in use"), ("bound", "In use"), ("retired", "Retired")],
        default="free",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    batch_id = fields.Many2one(
        "klusheeren.sticker.batch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_bound = fields.Datetime(readonly=True, copy=False)
    date_retired = fields.Datetime(readonly=True, copy=False)
    url = fields.Char(
        string="Sticker URL",
        compute="_compute_url",
        groups="klusheeren_base.group_klusheeren_user",
    )
    qr_image = fields.Binary(
        string="QR Code",
        compute="_compute_qr_image",
        groups="klusheeren_base.group_klusheeren_user",
    )

    _token_unique = models.Constraint("UNIQUE(token)", "Two stickers cannot share a token.")
    _name_unique = models.Constraint("UNIQUE(name, company_id)", "Two stickers cannot share a code.")

    @api.model
    def _generate_token(self):
        return secrets.token_urlsafe(TOKEN_BYTES)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("klusheeren.sticker")
        return super().create(vals_list)

    @api.depends("token")
    def _compute_url(self):
        for sticker in self:
            sticker.url = f"{sticker.get_base_url()}/qr/{sticker.token}" if sticker.token else False

    @api.depends("url")
    def _compute_qr_image(self):
        for sticker in self:
            sticker.qr_image = sticker._qr_png(sticker.url) if sticker.url else False

    @api.model
    def _qr_png(self, data):
        """Base64 PNG of a QR code for ``data`` (error correction M: survives a scratched sticker)."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
        code.add_data(data)
        code.make(fit=True)
        buf = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
        return base64.b64encode(buf.getvalue())

    @api.model
    def _find_by_token(self, token):
        """The sticker (sudo) whose URL carries ``token``, or an empty recordset.

        Retired stickers are not found. Junk input never raises. The final comparison is
        constant-time, as for portal access tokens.
        """
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return self.browse()
        # sudo: found by its token alone (the public scans it), compared in constant time below
        sticker = self.sudo().search([("token", "=", token), ("state", "!=", "retired")], limit=1)
        if sticker and hmac.compare_digest(sticker.token, token):
            return sticker
        return self.browse()

    def _lock(self):
        """Row lock, so that two simultaneous registrations cannot both bind the sticker."""
        self.env.cr.execute("SELECT id FROM klusheeren_sticker WHERE id IN %s FOR UPDATE", [tuple(self.ids)])
        self.invalidate_recordset(["state", "equipment_id"])

    def _bind(self, equipment):
        self.ensure_one()
        self._lock()
        if self.state != "free":
            raise UserError(
                self.env._(
                    "Sticker %(code)s is already in use. A sticker is bound to one piece of equipment only, once.",
                    code=self.name,
                )
            )
        # sudo: binding is the system's (the caller registered the equipment with its own rights,
        # action_register; the sticker's state is read-only for everyone)
        self.sudo().write(
            {
                "state": "bound",
                "equipment_id": equipment.id,
                "date_bound": fields.Datetime.now(),
            }
        )
        equipment.sudo().sticker_id = self  # sudo: as above, the equipment's link to its sticker

    def action_register(self, vals):
        """Create the equipment described by ``vals`` and bind this free sticker to it."""
        self.ensure_one()
        if self.state != "free":
            raise UserError(self.env._("Sticker %(code)s is already in use.", code=self.name))
        values = {key: vals[key] for key in REGISTER_FIELDS if vals.get(key)}
        if not values.get("name"):
            raise UserError(self.env._("Give the equipment a name."))
        values["company_id"] = self.company_id.id
        equipment = self.env["maintenance.equipment"].with_context(klusheeren_no_sticker=True).create(values)
        self._bind(equipment)
        equipment.message_post(body=self.env._("Registered by scanning sticker %(code)s.", code=self.name))
        return equipment

    def _retire(self):
        # sudo: the caller checked the manager's right (maintenance.equipment's sticker actions)
        self.sudo().write({"state": "retired", "date_retired": fields.Datetime.now()})

    def _get_sheet_stickers(self):
        return self.filtered(lambda s: s.state != "retired")
