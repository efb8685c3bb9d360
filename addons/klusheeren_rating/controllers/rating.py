# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo.addons.rating.controllers.main import Rating


class KlusheerenRating(Rating):
    """Odoo's generic ``/rate/<token>/...`` pages only know one happy/neutral/unhappy score.
    A work order is rated on three criteria and "solved?" on ``/klusheeren/rating/<id>``, so the
    generic pages refuse work order ratings (they would skip the criteria and the reopening)."""

    def _get_rating_and_record(self, token):
        rating, record = super()._get_rating_and_record(token)
        if rating.res_model == "klusheeren.work.order":
            raise NotFound()
        return rating, record
