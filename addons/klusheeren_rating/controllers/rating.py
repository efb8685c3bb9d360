# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.klusheeren_portal.controllers.limits import action_allowed, too_many
from odoo.addons.rating.controllers.main import Rating


def _lang_for(partner):
    """The partner's language when it is installed, else the visitor's."""
    installed = {code for code, _name in request.env["res.lang"].get_installed()}
    if partner.lang and partner.lang in installed:
        return partner.lang
    return request.env.lang


def _token_denied():
    """A wrong or outdated link: a 404 on the light layout, nothing revealed (website's own 404 page
    would load the whole website bundle on a phone)."""
    return request.render("klusheeren_rating.token_denied", {}, status=404)


class KlusheerenRatingController(http.Controller):
    """The reporter's rating page: a token page, no login.

    A wrong or missing token is a plain 404 that reveals nothing. The business rules live in
    ``klusheeren.rating.action_submit``.
    """

    # Rating (reporter)
    # ------------------------------------------------------------------
    @http.route(
        "/klusheeren/rating/<int:rating_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def rating_page(self, rating_id, access_token=None, **post):
        rating = request.env["klusheeren.rating"]._klusheeren_from_token(rating_id, access_token)
        if not rating:
            return _token_denied()
        request.update_context(lang=_lang_for(rating.partner_id))
        errors, status = {}, 200
        values = {}
        if request.httprequest.method == "POST":
            if not action_allowed(f"rating:{rating.id}"):
                return too_many()
            values = post
            clean, errors = rating._klusheeren_validate(post)
            if not errors:
                # the sending job writes the ticket and the order too: their row locks first
                # (klusheeren.token.door._klusheeren_lock: a concurrent commit replays the request quietly)
                rating.ticket_id._klusheeren_lock()
                rating.work_order_id._klusheeren_lock()
                try:
                    rating.action_submit(post)
                except (UserError, ValidationError) as e:
                    errors["form"] = e.args[0]
                else:
                    query = urlencode({"access_token": access_token, "saved": 1})
                    return request.redirect(f"/klusheeren/rating/{rating.id}?{query}", code=303)
            status = 400
        elif rating.state == "rated":
            values = {
                "speed": rating.speed,
                "communication": rating.communication,
                "quality": rating.quality,
                "solved": "yes" if rating.solved else "no",
                "comment": rating.comment or "",
            }
        else:
            score = rating._klusheeren_parse_score(post.get("score"))
            if score:
                values = {"speed": score, "communication": score, "quality": score}
        response = request.render(
            "klusheeren_rating.rating_page",
            {
                "rating": rating,
                "order": rating.work_order_id,
                "ticket": rating.ticket_id,
                "token": access_token,
                "values": values,
                "errors": errors,
                "saved": bool(post.get("saved")) and request.httprequest.method == "GET",
            },
        )
        response.status_code = status
        return response


class KlusheerenRating(Rating):
    """Odoo's generic ``/rate/<token>/...`` pages only know one happy/neutral/unhappy score.
    A work order is rated on three criteria and "solved?" on ``/klusheeren/rating/<id>``, so the
    generic pages refuse work order ratings (they would skip the criteria and the reopening)."""

    def _get_rating_and_record(self, token):
        rating, record = super()._get_rating_and_record(token)
        if rating.res_model == "klusheeren.work.order":
            raise NotFound()
        return rating, record
