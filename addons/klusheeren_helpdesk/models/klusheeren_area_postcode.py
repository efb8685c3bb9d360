from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .klusheeren_area import postcode_number


class KlusheerenAreaPostcode(models.Model):
    """A range of postcodes of an area, by their numbers: 1180-1189 holds ``1183 AS``."""

    _name = "klusheeren.area.postcode"
    _description = "Postcode Range of an Area"
    _order = "number_from"

    area_id = fields.Many2one("klusheeren.area", required=True, ondelete="cascade", index=True)
    postcode_from = fields.Char(string="From", required=True)
    postcode_to = fields.Char(string="To", help="Empty: this one postcode number.")
    number_from = fields.Integer(compute="_compute_numbers", store=True, index=True)
    number_to = fields.Integer(compute="_compute_numbers", store=True, index=True)

    @api.depends("postcode_from", "postcode_to")
    def _compute_numbers(self):
        for postcode_range in self:
            start = postcode_number(postcode_range.postcode_from)
            end = postcode_number(postcode_range.postcode_to) if postcode_range.postcode_to else start
            postcode_range.number_from = start or 0
            postcode_range.number_to = end or 0

    @api.constrains("postcode_from", "postcode_to")
    def _check_range(self):
        for postcode_range in self:
            start = postcode_number(postcode_range.postcode_from)
            end = postcode_number(postcode_range.postcode_to) if postcode_range.postcode_to else start
            if start is None or end is None:
                raise ValidationError(self.env._("A postcode range starts with a number, e.g. 1180 to 1189."))
            if end < start:
                raise ValidationError(
                    self.env._("The postcode range %(start)s to %(end)s ends before it starts.", start=start, end=end)
                )
