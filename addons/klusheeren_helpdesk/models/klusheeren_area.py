import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


def postcode_number(postcode):
    """The numeric part of a postcode (``1183 AS`` -> 1183, ``114 55`` -> 11455), or None.

    Areas compare postcodes by that number: Dutch ranges are written as numbers (1000-1099),
    Swedish and most others are numbers through and through."""
    digits = re.match(r"\s*(\d[\d ]*)", postcode or "")
    if not digits:
        return None
    return int(digits.group(1).replace(" ", ""))


class KlusheerenArea(models.Model):
    """A responsibility area: a named group of sites, optionally postcode ranges, nested.

    A site belongs to an area when it is one of its sites or its postcode lies in one of its
    ranges, and then also to every area above it (a site in "Amstelveen" is in "Regio
    Amsterdam" too). Rules (``klusheeren.responsibility``) name an area or a site."""

    _name = "klusheeren.area"
    _description = "Responsibility Area"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=False)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("klusheeren.area", string="Part of", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("klusheeren.area", "parent_id", string="Sub-areas")
    site_ids = fields.Many2many(
        "res.partner",
        "klusheeren_area_site_rel",
        "area_id",
        "site_id",
        string="Sites",
        help="Sites in this area, whatever their postcode.",
    )
    postcode_range_ids = fields.One2many("klusheeren.area.postcode", "area_id", string="Postcode ranges")
    company_id = fields.Many2one("res.company", help="Empty: the area is used in every company.")
    active = fields.Boolean(default=True)
    responsibility_ids = fields.One2many("klusheeren.responsibility", "area_id", string="Rules")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for area in self:
            if area.parent_id:
                area.complete_name = f"{area.parent_id.complete_name} / {area.name}"
            else:
                area.complete_name = area.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An area cannot lie within itself."))

    @api.model
    def _klusheeren_domain_of_site(self, site):
        """The areas ``site`` lies in directly: named, or by its postcode (one SQL query)."""
        number = postcode_number(site.zip)
        domain = Domain("site_ids", "in", site.ids)
        if number is not None:
            domain |= Domain(
                "postcode_range_ids",
                "any",
                [("number_from", "<=", number), ("number_to", ">=", number)],
            )
        return domain
