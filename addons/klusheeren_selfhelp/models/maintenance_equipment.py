from odoo import models

from .document_page import QR_ARTICLES


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    def _klusheeren_selfhelp_articles(self, limit=QR_ARTICLES):
        """The self-help articles the sticker's form shows for this equipment: its own first, then its
        category's, each by their order; fetched with one query whatever their number. Called for the
        equipment behind a sticker the visitor holds (resolved from its token)."""
        self.ensure_one()
        Page = self.env["document.page"]
        # sudo: the public reads no articles; the domain keeps to this equipment's own and its category's
        return Page.sudo().search_fetch(
            Page._klusheeren_equipment_domain(self),
            Page._klusheeren_fields_shown(),
            limit=limit,
            # an article of this machine first (the others have none: nulls sort last)
            order="klusheeren_equipment_id asc nulls last, klusheeren_sequence, id",
        )
