from odoo import http
from odoo.http import request

from odoo.addons.klusheeren_equipment.controllers.main import StickerController
from odoo.addons.klusheeren_portal.controllers.limits import action_allowed, too_many
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

ARTICLES_PER_PAGE = 20
# what a refused press answers (nothing was recorded)
REFUSED_STATUS = {"invalid": 400, "unknown": 404, "foreign": 409}


class SelfhelpQrController(http.Controller):
    """ "This solved it" under a self-help article on the sticker's form: a plain form post."""

    @http.route(
        "/qr/<string:token>/solved",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def qr_solved(self, token, article_id=None, deflection_key=None, **kw):
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        if not sticker or sticker.state != "bound":
            return StickerController._qr_unknown(token)
        # sudo: the visitor holds the sticker (resolved from its token above); the model records only an
        # article that this sticker's form shows, checks the key, and asks the rate limit for new presses
        Deflection = request.env["klusheeren.selfhelp.deflection"].sudo()
        deflection, status = Deflection._klusheeren_record(
            sticker, article_id, deflection_key, allow=lambda: action_allowed(f"selfhelp:{sticker.id}")
        )
        if status == "too_many":
            return too_many()
        if status in REFUSED_STATUS:
            values = {"sticker": sticker, "equipment": sticker.equipment_id, "reason": status}
            return request.render("klusheeren_selfhelp.qr_solved_refused", values, status=REFUSED_STATUS[status])
        # post/redirect/get: the thank-you page reloads without posting again (a repeat is idempotent anyway)
        return request.redirect(f"{request.httprequest.path}/{deflection.key}", code=303)

    @http.route(
        "/qr/<string:token>/solved/<string:key>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def qr_solved_thanks(self, token, key, **kw):
        sticker = request.env["klusheeren.sticker"]._find_by_token(token)
        if not sticker:
            return StickerController._qr_unknown(token)
        # sudo: the deflection of this key on this sticker's equipment only (the model checks both)
        deflection = request.env["klusheeren.selfhelp.deflection"].sudo()._klusheeren_find(sticker, key)
        if not deflection:
            return request.redirect(f"/qr/{token}", code=303)
        values = {"sticker": sticker, "equipment": sticker.equipment_id, "deflection": deflection}
        return request.render("klusheeren_selfhelp.qr_solved_thanks", values)


class SelfhelpPortal(CustomerPortal):
    """The company portal's knowledge base: the articles of the equipment at the user's company's sites."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "selfhelp_article_count" in counters:
            values["selfhelp_article_count"] = request.env["document.page"]._klusheeren_portal_count()
        return values

    @http.route(["/my/help", "/my/help/page/<int:page>"], type="http", auth="user", website=True, sitemap=False)
    def portal_my_help(self, page=1, search=None, **kw):
        search = search.strip()[:100] if isinstance(search, str) else ""
        Page = request.env["document.page"]
        total = Page._klusheeren_portal_count(search)
        pager = portal_pager(
            url="/my/help",
            url_args={"search": search} if search else {},
            total=total,
            page=page,
            step=ARTICLES_PER_PAGE,
        )
        articles = Page._klusheeren_portal_articles(search, limit=ARTICLES_PER_PAGE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"articles": articles, "pager": pager, "search": search, "page_name": "selfhelp"})
        return request.render("klusheeren_selfhelp.portal_my_help", values)
