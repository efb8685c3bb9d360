import math
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round, plaintext2html

from odoo.addons.klusheeren_base.tools.upload import attach_uploads, check_attachments

from .klusheeren_work_order import (
    AMOUNT_MAX,
    APPOINTMENT_FUTURE_DAYS,
    APPOINTMENT_PAST_DAYS,
    CONTRACTOR_FIELDS,
    EDITABLE_STATES,
    LINE_NAME_MAX,
    LINES_MAX,
    QUANTITY_MAX,
    REFERENCE_MAX,
    TEXT_MAX,
)


# one file per responsibility of the model (issue 23), not one class of everything
class KlusheerenWorkOrder(models.Model):
    """The contractor's input: what the work order page saves (appointment, remarks, amount,
    lines) and the contractor's messages, checked here whoever calls."""

    _inherit = "klusheeren.work.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The contractor's page
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_clean_text(self, value, limit=TEXT_MAX):
        if value is not None and not isinstance(value, str):
            raise UserError(self.env._("A text was expected."))
        value = (value or "").strip()
        if len(value) > limit:
            raise UserError(self.env._("Keep the text under %(n)s characters.", n=limit))
        return value

    def _klusheeren_validate_contractor_values(self, vals):
        """What the contractor typed, checked whoever calls: types, bounds, dates."""
        self.ensure_one()
        if not isinstance(vals, dict):
            raise UserError(self.env._("Nothing to save."))
        values = {}
        if "appointment_date" in vals:
            raw = vals["appointment_date"]
            if raw:
                try:
                    when = fields.Datetime.to_datetime(raw)
                except (TypeError, ValueError):
                    when = None
                if not when:
                    raise UserError(self.env._("The appointment date is not a valid date and time."))
                now = fields.Datetime.now()
                if not (
                    now - timedelta(days=APPOINTMENT_PAST_DAYS) <= when <= now + timedelta(days=APPOINTMENT_FUTURE_DAYS)
                ):
                    raise UserError(
                        self.env._("The appointment must lie between three months ago and two years ahead.")
                    )
                values["appointment_date"] = when
            else:
                values["appointment_date"] = False
        if "contractor_remarks" in vals:
            values["contractor_remarks"] = self._klusheeren_clean_text(vals["contractor_remarks"])
        if "contractor_reference" in vals:
            values["contractor_reference"] = self._klusheeren_clean_text(vals["contractor_reference"], REFERENCE_MAX)
        if "lines" in vals:
            values["line_ids"] = self._klusheeren_validate_contractor_lines(vals["lines"])
        has_lines = bool(self.line_ids) if "lines" not in vals else bool(vals["lines"])
        if "amount_total" in vals:
            amount = self._klusheeren_check_amount(vals["amount_total"])
            if not has_lines:
                values["amount_total"] = amount
            elif "lines" not in vals and self.currency_id.compare_amounts(amount, self.amount_total):
                raise UserError(self.env._("The total is the sum of the lines: remove the lines to enter a lump sum."))
        if "warranty" in vals:
            if not isinstance(vals["warranty"], bool):
                raise UserError(self.env._("Say yes or no to warranty."))
            values["warranty"] = vals["warranty"]
        return values

    def _klusheeren_check_amount(self, amount):
        """An amount typed by the contractor, rounded to the currency."""
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise UserError(self.env._("The amount must be a number, e.g. 258.17."))
        if not math.isfinite(amount) or amount < 0 or amount > AMOUNT_MAX:
            raise UserError(self.env._("The amount must be between 0 and 10,000,000."))
        return float_round(amount, precision_rounding=self.currency_id.rounding or 0.01)

    @api.model
    def _klusheeren_contractor_catalogue(self):
        """The articles a contractor may pick: the catalogue the back office keeps."""
        # sudo: contractors read no products; the page (checked caller) lists these only
        return (
            self.env["product.product"]
            .sudo()
            .search(
                [
                    ("klusheeren_work_order_ok", "=", True),
                    ("company_id", "in", [False, (self.company_id[:1] or self.env.company).id]),
                ],
                order="name, id",
            )
        )

    @api.model
    def _klusheeren_contractor_units(self):
        """The units offered on the page for free-text lines (an article keeps its own unit)."""
        xmlids = (
            "product_uom_unit",
            "product_uom_hour",
            "product_uom_meter",
            "product_uom_square_meter",
            "product_uom_litre",
            "product_uom_kgm",
        )
        units = self.env["uom.uom"].sudo()  # sudo: the page's list of units (contractors read none)
        for xmlid in xmlids:
            units |= self.env.ref(f"uom.{xmlid}", raise_if_not_found=False) or units
        return units.filtered("active")

    def _klusheeren_check_line_id(self, line_id, n, kept):
        """``line_id`` (line ``n`` of what the contractor sent) names a line of this order that
        no earlier line named; it joins ``kept``. False for a new line."""
        if line_id:
            if (
                isinstance(line_id, bool)
                or not isinstance(line_id, int)
                or line_id in kept
                or line_id not in self.line_ids.ids
            ):
                raise UserError(self.env._("Line %(n)s is not a line of this work order.", n=n))
            kept.add(line_id)
        return line_id

    def _klusheeren_validate_contractor_lines(self, lines):
        """The lines the contractor typed, checked whoever calls: the whole list of the order's
        lines as the page shows them (``id`` for an existing line, none for a new one; a line
        left out is removed). Returns the commands for ``line_ids``."""
        self.ensure_one()
        if not isinstance(lines, (list, tuple)) or not all(isinstance(raw, dict) for raw in lines):
            raise UserError(self.env._("The lines could not be read."))
        if len(lines) > LINES_MAX:
            raise UserError(self.env._("A work order has at most %(n)s lines.", n=LINES_MAX))
        catalogue = self._klusheeren_contractor_catalogue()
        units = self._klusheeren_contractor_units()
        types = dict(self.env["klusheeren.work.order.line"]._fields["line_type"].selection)
        qty_digits = self.env["decimal.precision"].precision_get("Product Unit")
        commands, kept, total = [], set(), 0.0
        for n, raw in enumerate(lines, start=1):
            line_id = self._klusheeren_check_line_id(raw.get("id") or False, n, kept)
            line_type = raw.get("line_type") or "material"
            if line_type not in types:
                raise UserError(self.env._("Line %(n)s: unknown type.", n=n))
            product = self.env["product.product"]
            if raw.get("product_id"):
                product_id = raw["product_id"]
                if isinstance(product_id, bool) or product_id not in catalogue.ids:
                    raise UserError(self.env._("Line %(n)s: pick an article of the list.", n=n))
                product = catalogue.browse(product_id)
            name = self._klusheeren_clean_text(raw.get("name"), LINE_NAME_MAX) or product.display_name
            if not name:
                raise UserError(self.env._("Line %(n)s: describe it or pick an article.", n=n))
            quantity = raw.get("quantity", 1)
            if (
                isinstance(quantity, bool)
                or not isinstance(quantity, (int, float))
                or not math.isfinite(quantity)
                or not 0 < quantity <= QUANTITY_MAX
            ):
                raise UserError(
                    self.env._(
                        "Line %(n)s: the quantity must be a number above 0 and at most %(max)s.", n=n, max=QUANTITY_MAX
                    )
                )
            quantity = float_round(quantity, precision_digits=qty_digits)
            price = raw.get("price_unit")
            if price is None and product:
                price = product.standard_price
            if price is None:
                raise UserError(self.env._("Line %(n)s: give the unit price excl. VAT.", n=n))
            price = self._klusheeren_check_amount(price)
            uom = product.uom_id
            if raw.get("uom_id"):
                uom_id = raw["uom_id"]
                allowed = units | product.uom_id
                if isinstance(uom_id, bool) or uom_id not in allowed.ids:
                    raise UserError(self.env._("Line %(n)s: pick a unit of the list.", n=n))
                uom = allowed.browse(uom_id)
                if product and not uom._has_common_reference(product.uom_id):
                    raise UserError(
                        self.env._(
                            "Line %(n)s: %(product)s is counted in %(unit)s.",
                            n=n,
                            product=product.display_name,
                            unit=product.uom_id.name,
                        )
                    )
            total += quantity * price
            if total > AMOUNT_MAX:
                raise UserError(self.env._("The amount must be between 0 and 10,000,000."))
            values = {
                "sequence": n,
                "line_type": line_type,
                "product_id": product.id,
                "name": name,
                "quantity": quantity,
                "uom_id": (
                    uom or self.env.ref("uom.product_uom_hour" if line_type == "labour" else "uom.product_uom_unit")
                ).id,
                "price_unit": price,
            }
            commands.append(Command.update(line_id, values) if line_id else Command.create(values))
        commands += [Command.delete(line.id) for line in self.line_ids if line.id not in kept]
        return commands

    def contractor_save(self, vals):
        """Save the contractor's fields: only once accepted and until done (the appointment of
        a job nobody took yet would move the ticket and e-mail the reporter)."""
        self.ensure_one()
        self._klusheeren_check_contractor_access()
        if self.state in ("done", "refused", "cancelled"):
            raise UserError(self.env._("This work order is closed: it can no longer be edited."))
        if self.state not in EDITABLE_STATES:
            raise UserError(self.env._("Accept the work order first."))
        values = self._klusheeren_validate_contractor_values(vals)
        values = {key: value for key, value in values.items() if key in CONTRACTOR_FIELDS}
        if not values:
            return False
        new_appointment = (
            "appointment_date" in values
            and values["appointment_date"]
            and values["appointment_date"] != self.appointment_date
        )
        # no sudo: the page hands over a superuser record after its access check
        self.write(values)
        if new_appointment:
            self.ticket_id._klusheeren_set_stage("appointment", notify=False)  # its own e-mail
            self._klusheeren_notify_appointment()
        self._notify_responsible(self.env._("%(contractor)s updated work order %(name)s."))
        return True

    def contractor_post_message(self, body, attachments=()):
        """A message of the contractor to the back office, with files ``(name, bytes, mimetype)``
        judged by the upload policy."""
        self.ensure_one()
        self._klusheeren_check_contractor_access()
        if self.state in ("refused", "cancelled"):
            raise UserError(self.env._("This work order is closed."))
        body = self._klusheeren_clean_text(body)
        attachments = check_attachments(self.env, attachments)
        if not body and not attachments:
            raise UserError(self.env._("Write a message or add a file."))
        order = self
        attachment_ids = attach_uploads(self, attachments, checked=True).ids
        return order.message_post(
            body=plaintext2html(body),
            author_id=order.contractor_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=order.user_id.partner_id.ids,
            attachment_ids=attachment_ids,
        )
