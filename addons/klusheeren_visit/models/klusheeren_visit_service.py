from odoo import api, fields, models
from odoo.exceptions import UserError


class KlusheerenVisitService(models.Model):
    """An optional service the contact accepted, or asked to be contacted about."""

    _name = "klusheeren.visit.service"
    _description = "Optional service chosen before a visit"
    _order = "id"

    visit_id = fields.Many2one("klusheeren.visit", required=True, ondelete="cascade", index=True)
    work_order_id = fields.Many2one(related="visit_id.work_order_id", store=True)
    option_id = fields.Many2one("klusheeren.visit.option", required=True, ondelete="restrict")
    name = fields.Char(required=True)
    price_incl = fields.Monetary(string="Price incl. VAT", currency_field="currency_id")
    currency_id = fields.Many2one(related="visit_id.currency_id")
    choice = fields.Selection([("accepted", "Accepted"), ("contact", "Asks to be contacted")], required=True)
    state = fields.Selection([("new", "To handle"), ("done", "Handled")], default="new", required=True)
    line_id = fields.Many2one(
        "klusheeren.work.order.line", string="Work order line", readonly=True, ondelete="set null"
    )

    _option_unique = models.Constraint("UNIQUE(visit_id, option_id)", "One answer per service and visit.")

    @api.model
    def _klusheeren_answer(self, visit, option_id, choice):
        """Called by ``klusheeren.visit.portal_answer_option`` once the token is checked, on the
        superuser model and with the superuser visit of the door (``_klusheeren_checked``)."""
        if choice not in ("accepted", "contact"):
            raise UserError(self.env._("Accept the service or ask to be contacted."))
        try:
            option_id = int(option_id)
        except (TypeError, ValueError):
            option_id = 0
        option = visit._klusheeren_options().filtered(lambda o: o.id == option_id)
        if not option:
            raise UserError(self.env._("This service is not offered for this appointment."))
        existing = visit.service_ids.filtered(lambda s: s.option_id == option)
        if existing.state == "done":
            raise UserError(self.env._("This service has already been handled: call us to change it."))
        values = {"choice": choice, "name": option.name, "price_incl": option.price_incl}
        if existing:
            existing.write(values)
            service = existing
        else:
            service = self.create({"visit_id": visit.id, "option_id": option.id, **values})
        told = visit._klusheeren_responsible_env()
        label = dict(self._fields["choice"]._description_selection(told))[choice]
        visit.work_order_id.message_post(
            body=told._(
                "%(name)s, %(service)s: %(choice)s", name=visit.partner_id.name, service=option.name, choice=label
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=visit.user_id.partner_id.ids,
        )
        return service

    def action_to_work_order_line(self):
        """One click: the service becomes a line of the work order, at its price excl. VAT."""
        for service in self.filtered(lambda s: not s.line_id):
            visit = service.visit_id
            rate = visit._klusheeren_vat_rate()
            line = self.env["klusheeren.work.order.line"].create(
                {
                    "work_order_id": service.work_order_id.id,
                    "name": service.name,
                    "quantity": 1.0,
                    "price_unit": visit.currency_id.round(service.price_incl / (1 + rate / 100.0)),
                }
            )
            service.write({"line_id": line.id, "state": "done"})
        return True

    def action_mark_handled(self):
        self.write({"state": "done"})
        return True
