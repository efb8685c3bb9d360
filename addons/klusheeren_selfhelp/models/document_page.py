import base64
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.image import image_process
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import limited_field_access_token

# the QR form shows at most this many articles (issue 24: a phone page, collapsed)
QR_ARTICLES = 3
# the article's photo on the public pages: shown at 96 x 72 px, served at twice that (a phone's 2x screen),
# from a copy stored at most 192 px and at JPEG quality 75 (a photo of a few kB: three of them and the form
# stay within the phone pages' budget, issue 21)
PHOTO_FIELD = "klusheeren_photo_small"
PHOTO_SHOWN = (96, 72)
PHOTO_QUALITY = 75
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
SEARCH_MAX = 100  # characters of a knowledge base search


class DocumentPage(models.Model):
    """A self-help article is an OCA knowledge page (``document.page``, its history and chatter kept)
    for an equipment category, or for one piece of equipment: a title, a short text and a photo.

    OCA's page keeps its long text (``content``) as versions in ``document.page.history``, untranslated
    and unsanitised (``sanitize=False``): it stays a back-office text. The public pages show only the
    title, the short text (plain text, escaped) and the photo, all translatable; the title is made
    translatable here for the whole model (its column becomes jsonb, the English value kept)."""

    _inherit = "document.page"

    name = fields.Char(translate=True)
    klusheeren_summary = fields.Text(
        string="Short text",
        translate=True,
        help="What the reporter reads on the sticker's form and in the company portal: what to check, "
        "in a few sentences.",
    )
    klusheeren_category_id = fields.Many2one(
        "maintenance.equipment.category",
        string="Equipment category",
        compute="_compute_klusheeren_category_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        ondelete="cascade",
        help="The article is shown on the form of every sticker on equipment of this category.",
    )
    klusheeren_equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Only for equipment",
        index="btree_not_null",
        # an article about one machine goes with it
        ondelete="cascade",
        help="Show the article on this equipment's sticker only, instead of on every sticker of the category.",
    )
    klusheeren_sequence = fields.Integer(string="Order", default=10)
    klusheeren_photo_small = fields.Image(
        string="Photo (small)", compute="_compute_klusheeren_photo_small", store=True, attachment=True
    )
    klusheeren_has_photo = fields.Boolean(string="Has a photo", compute="_compute_klusheeren_has_photo", store=True)
    klusheeren_deflection_ids = fields.One2many(
        "klusheeren.selfhelp.deflection",
        "article_id",
        string="Deflections",
        readonly=True,
        groups="klusheeren_base.group_klusheeren_user",
    )
    klusheeren_deflection_count = fields.Integer(
        string="Solved",
        compute="_compute_klusheeren_deflection_count",
        groups="klusheeren_base.group_klusheeren_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A self-help article without a knowledge category goes into "Self-help"."""
        selfhelp = self.env.ref("klusheeren_selfhelp.page_category_selfhelp", raise_if_not_found=False)
        for vals in vals_list:
            is_article = vals.get("klusheeren_category_id") or vals.get("klusheeren_equipment_id")
            if selfhelp and is_article and not vals.get("parent_id") and vals.get("type", "content") == "content":
                vals["parent_id"] = selfhelp.id
        return super().create(vals_list)

    @api.depends("klusheeren_equipment_id")
    def _compute_klusheeren_category_id(self):
        for page in self:
            if page.klusheeren_equipment_id.category_id:
                page.klusheeren_category_id = page.klusheeren_equipment_id.category_id

    @api.depends("image")
    def _compute_klusheeren_photo_small(self):
        size = PHOTO_SHOWN[0] * 2
        for page in self:
            raw = base64.b64decode(page.image) if page.image else b""
            small = False
            # raster images only: an SVG (a document that may hold scripts) never reaches the public pages
            if raw and guess_mimetype(raw) in PHOTO_TYPES:
                try:
                    small = image_process(raw, size=(size, size), quality=PHOTO_QUALITY)
                except UserError:  # not readable as an image: no photo on the public pages
                    small = False
            page.klusheeren_photo_small = base64.b64encode(small) if small else False

    @api.depends("klusheeren_photo_small")
    def _compute_klusheeren_has_photo(self):
        for page in self:
            page.klusheeren_has_photo = bool(page.klusheeren_photo_small)

    def _compute_klusheeren_deflection_count(self):
        counts = dict(
            self.env["klusheeren.selfhelp.deflection"]._read_group(
                [("article_id", "in", self.ids)], ["article_id"], ["__count"]
            )
        )
        for page in self:
            page.klusheeren_deflection_count = counts.get(page, 0)

    def action_klusheeren_deflections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_selfhelp.action_deflection_analysis")
        action["domain"] = [("article_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # The public pages
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_fields_shown(self):
        """The fields the public pages read, fetched with the search itself (one query for any number)."""
        return ["name", "klusheeren_summary", "klusheeren_has_photo", "write_date"]

    @api.model
    def _klusheeren_equipment_domain(self, equipment):
        """The articles of ``equipment``: its own, and those of its category meant for every machine."""
        for_equipment = Domain("klusheeren_equipment_id", "in", equipment.ids)
        categories = equipment.category_id.ids
        if categories:
            for_equipment |= Domain("klusheeren_equipment_id", "=", False) & Domain(
                "klusheeren_category_id", "in", categories
            )
        return for_equipment & Domain("company_id", "in", [False, *equipment.company_id.ids])

    def _klusheeren_photo_url(self):
        """The photo at the size the public pages show it (``/web/image`` with a size), with a signed,
        time-limited token for this field only: neither the public nor portal users read articles."""
        self.ensure_one()
        token = limited_field_access_token(self, PHOTO_FIELD, scope="binary")
        unique = self.write_date.strftime("%Y%m%d%H%M%S") if self.write_date else ""
        width, height = PHOTO_SHOWN
        query = urlencode({"unique": unique, "access_token": token})
        return f"/web/image/document.page/{self.id}/{PHOTO_FIELD}/{width * 2}x{height * 2}?{query}"

    @api.model
    def _klusheeren_portal_domain(self, search=None):
        """The company portal's knowledge base: the articles of the equipment at the current user's
        company's sites (``helpdesk.ticket._klusheeren_portal_sites``, which keeps to the user's own
        commercial partner), optionally matching ``search`` in the title or the short text."""
        Ticket = self.env["helpdesk.ticket"]
        if self.env.user._is_public():
            return Domain.FALSE
        equipment = Ticket._klusheeren_portal_equipment(Ticket._klusheeren_portal_sites())
        if not equipment:
            return Domain.FALSE
        domain = self._klusheeren_equipment_domain(equipment)
        search = (search or "").strip()[:SEARCH_MAX] if isinstance(search, str) else ""
        if search:
            domain &= Domain("name", "ilike", search) | Domain("klusheeren_summary", "ilike", search)
        return domain

    @api.model
    def _klusheeren_portal_articles(self, search=None, limit=None, offset=0):
        """The current user's knowledge base, a page of it (see ``_klusheeren_portal_domain``)."""
        domain = self._klusheeren_portal_domain(search)
        if domain.is_false():
            return self.browse()
        # sudo: portal users read no articles themselves; the domain keeps to their company's equipment
        return self.sudo().search_fetch(
            domain,
            self._klusheeren_fields_shown(),
            limit=limit,
            offset=offset,
            order="klusheeren_category_id, klusheeren_sequence, id",
        )

    @api.model
    def _klusheeren_portal_count(self, search=None):
        """The number of articles in the current user's knowledge base (matching ``search``)."""
        domain = self._klusheeren_portal_domain(search)
        # sudo: as in _klusheeren_portal_articles
        return 0 if domain.is_false() else self.sudo().search_count(domain)
