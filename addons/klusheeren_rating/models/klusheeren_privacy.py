from odoo import api, models

from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import rotate_token


class KlusheerenRating(models.Model):
    """The ratings' part of klusheeren_privacy's protocol, found by name (no dependency either
    way, see klusheeren_visit's part). Ratings stay with their scores: the statistics do not
    change; the reporter's rating link stops working. Called on the superuser model, after the
    manager's check (``res.partner._klusheeren_privacy_system``) or by the retention job."""

    _inherit = "klusheeren.rating"

    @api.model
    def _klusheeren_privacy_export(self, tickets):
        ratings = self.search([("ticket_id", "in", tickets.ids)])
        complaints = self.env["klusheeren.complaint"].search([("ticket_id", "in", tickets.ids)])
        return {
            "ratings": [
                {
                    "work_order": r.work_order_id.name,
                    "speed": r.speed,
                    "communication": r.communication,
                    "quality": r.quality,
                    "solved": r.solved,
                    "comment": r.comment or None,
                    "rated": r.date_rated,
                }
                for r in ratings.filtered(lambda r: r.state == "rated")
            ],
            "complaints": [
                {
                    "number": c.name,
                    "reason": c.reason,
                    "text": c.description,
                    "state": c.state,
                    "created": c.create_date,
                }
                for c in complaints
            ],
        }

    @api.model
    def _klusheeren_privacy_files(self, tickets):
        return self.env["klusheeren.complaint"].search([("ticket_id", "in", tickets.ids)]).photo_ids

    @api.model
    def _klusheeren_privacy_erase(self, tickets):
        ratings = self.search([("ticket_id", "in", tickets.ids)])
        rotate_token(ratings)
        rotate_token(ratings.rating_id)
