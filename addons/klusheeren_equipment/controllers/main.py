import base64

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.image import image_process

from odoo.addons.klusheeren_base.tools.upload import DECODABLE, check_file, max_file_bytes

# the equipment card (qr_equipment_card) and the pages behind a sticker
CARD_FIELDS = ["name", "site_id", "exact_location", "write_date", "category_id", "company_id"]
SITE_FIELDS = ["name", "street", "zip", "city"]


class StickerController(http.Controller):
    """The URL printed on every QR sticker. It never changes.

    An unknown or retired token is a plain 404. A sticker not in use yet leads a back-office
    user to the registration of the equipment and tells anyone else it is not in use. A bound
    sticker is handled by ``_qr_bound``, which klusheeren_portal extends with the fault report form.
    """

    @http.route(
        "/qr/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def qr(self, token, **post):
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        if not sticker:
            # A link copied with the full stop or space after it ("/qr/<token>." in a sentence of an
            # e-mail, "%20" from a chat app) leads to the sticker's own URL.
            stripped = token.strip(" .,;:!?)]}>'\"\t\r\n")
            if stripped != token and request.env["klusheeren.sticker"]._find_by_token(stripped):
                return request.redirect(f"/qr/{stripped}", code=301)
            return self._qr_unknown(token)
        if sticker.state == "free":
            if self._is_back_office():
                return request.redirect(f"/qr/{token}/register")
            return request.render("klusheeren_equipment.qr_sticker_free", {"sticker": sticker, "token": token})
        # what the sticker's pages show of the equipment and its site, fetched alone: their rows are
        # wide (computed, stored and translated columns) and read whole they were a tenth of the page
        sticker.equipment_id.fetch(CARD_FIELDS)
        sticker.equipment_id.site_id.fetch(SITE_FIELDS)
        return self._qr_bound(sticker, **post)

    @http.route("/qr/<string:token>/photo", type="http", auth="public", sitemap=False)
    def qr_photo(self, token, **kw):
        """The equipment's photo for whoever holds the sticker (the public cannot read equipment)."""
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        equipment = sticker.equipment_id if sticker.state == "bound" else sticker.equipment_id.browse()
        if not equipment.image_128:
            return request.not_found()  # an image's URL: a bare 404 (this route renders no page)
        # shown at 96 px: 256 px covers a phone's 2x screen (issue 21: images at the size shown);
        # sudo: the photo of the equipment its sticker's token (checked above) is bound to
        stream = request.env["ir.binary"]._get_image_stream_from(equipment.sudo(), "image_256")
        return stream.get_response(max_age=86400)

    @staticmethod
    def _qr_unknown(token=None):
        """404 for a token that opens nothing, answered here rather than raised: website's 404
        handler looks the path up as an attachment or redirect and renders it in the layout,
        and a path holding a NUL byte (``/qr/%00``) or dot segments (``/qr/..%2F``) makes that
        fail with a server error. The page is the same for every token (the token is not shown)."""
        del token  # never echoed: whatever it holds, the answer is the same page
        return request.render("klusheeren_equipment.qr_unknown", {}, status=404)

    def _qr_bound(self, sticker, **post):
        return request.render(
            "klusheeren_equipment.qr_equipment_page",
            {"sticker": sticker, "equipment": sticker.equipment_id},
        )

    @staticmethod
    def _is_back_office():
        return bool(request.session.uid) and request.env.user.has_group("klusheeren_base.group_klusheeren_user")

    @http.route(
        "/qr/<string:token>/register",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def qr_register(self, token, **post):
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        if not sticker or not self._is_back_office():
            return self._qr_unknown(token)
        if sticker.state != "free":
            return request.redirect(f"/odoo/maintenance.equipment/{sticker.equipment_id.id}")
        errors, values = {}, {}
        if request.httprequest.method == "POST":
            values, errors = self._register_parse(post)
            if not errors:
                try:
                    # with the back-office user's own rights: with_user leaves the superuser mode
                    # of the sticker found by its token
                    equipment = sticker.with_user(request.env.user).action_register(values)
                except UserError as e:
                    errors["form"] = e.args[0]
                else:
                    return request.redirect(f"/odoo/maintenance.equipment/{equipment.id}")
        env = request.env
        return request.render(
            "klusheeren_equipment.qr_register_form",
            {
                "sticker": sticker,
                "errors": errors,
                "post": post,
                "sites": env["res.partner"].search(
                    [("is_company", "=", True), ("klusheeren_is_contractor", "=", False)],
                    order="name",
                    limit=500,
                ),
                "contractors": env["res.partner"].search(
                    [("klusheeren_is_contractor", "=", True)], order="name", limit=500
                ),
                "categories": env["maintenance.equipment.category"].search([], order="name"),
            },
            status=400 if errors else 200,
        )

    def _register_parse(self, post):
        """Form values → (equipment values, errors by field)."""
        errors, values = {}, {}
        name = (post.get("name") or "").strip()
        if not name:
            errors["name"] = request.env._("Give the equipment a name, e.g. 'Coffee machine C5'.")
        values["name"] = name
        for field in ("site_id", "contractor_id", "category_id"):
            raw = post.get(field) or ""
            if raw.isdigit():
                values[field] = int(raw)
        if not values.get("site_id"):
            errors["site_id"] = request.env._("Choose the site where the equipment stands.")
        for field in ("exact_location", "serial_no", "model"):
            values[field] = (post.get(field) or "").strip()[:255]
        photo = post.get("photo")
        if photo and getattr(photo, "filename", None):
            limit = max_file_bytes(request.env)
            data = photo.read(limit + 1)
            try:
                mimetype = check_file(request.env, photo.filename, data, limit)[1]
            except UserError as e:
                errors["photo"], mimetype = e.args[0], None
            if mimetype not in DECODABLE and len(data) <= limit:
                errors["photo"] = request.env._("The photo must be a JPEG, PNG, WebP or GIF image.")
            elif mimetype:
                try:
                    values["image_1920"] = base64.b64encode(image_process(data, size=(1920, 1920)))
                except UserError:
                    errors["photo"] = request.env._("The photo could not be read as an image.")
        return values, errors
