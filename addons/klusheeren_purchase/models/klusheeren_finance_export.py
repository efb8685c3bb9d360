from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class KlusheerenFinanceExport(models.Model):
    _inherit = "klusheeren.finance.export"

    purchase_order_ids = fields.One2many(
        "purchase.order", "klusheeren_export_id", string="Purchase orders", readonly=True
    )
    purchase_order_count = fields.Integer(compute="_compute_purchase_order_count")

    @api.depends("purchase_order_ids")
    def _compute_purchase_order_count(self):
        for batch in self:
            # sudo: a count on the batch's form, for users without purchase rights too
            batch.purchase_order_count = len(batch.sudo().purchase_order_ids)

    def _open_purchase_orders(self):
        # sudo: whether the batch has purchase orders, whoever asks (exporter or manager)
        return self.sudo().purchase_order_ids.filtered(lambda po: po.state != "cancel")

    def action_create_purchase_orders(self):
        """One purchase order per contractor: a section per work order (origin: the KH-OC
        numbers), its lines with their article (free text and lump sums: "Work order costs").
        Taxes and fiscal positions are Odoo's: the lines' taxes come from the products' vendor
        taxes mapped by the contractor's fiscal position. The orders are confirmed and, the
        work being done, received: the contractor's bill is matched against them."""
        self._check_exporter()
        PurchaseOrder = self.env["purchase.order"]
        for batch in self:
            if batch.state != "exported":
                raise UserError(self.env._("Export the batch first."))
            if batch._open_purchase_orders():
                raise UserError(self.env._("Export batch %(name)s has its purchase orders already.", name=batch.name))
            by_contractor = {}
            for order in batch._orders():
                by_contractor.setdefault(order.contractor_id.commercial_partner_id, []).append(order)
            for contractor, orders in by_contractor.items():
                # sudo: the exporter was checked; finance need not be a purchase user to order
                po = (
                    PurchaseOrder.sudo()
                    .with_company(batch.company_id)
                    .create(batch._purchase_order_values(contractor, orders))
                )
                po.button_confirm()
                for line in po.order_line.filtered(lambda line: not line.display_type):
                    if line.qty_received_method == "manual":
                        line.qty_received = line.product_qty
            batch.message_post(
                body=self.env._("%(count)s purchase orders created.", count=len(by_contractor)),
                subtype_xmlid="mail.mt_note",
            )
        if len(self) == 1 and self.env["purchase.order"].has_access("read"):
            return self.action_view_purchase_orders()
        return True

    def _purchase_order_values(self, contractor, orders):
        costs = self.env.ref("klusheeren_purchase.product_work_order_costs")
        labour = self.env.ref("klusheeren_purchase.product_work_order_labour")
        lines = []
        for order in orders:
            lines.append(
                Command.create(
                    {
                        "display_type": "line_section",
                        "product_qty": 0,
                        "name": " - ".join(
                            filter(None, [order.name, order.contractor_reference, order.site_id.name, order.title])
                        ),
                        "klusheeren_work_order_id": order.id,
                    }
                )
            )
            items = order.line_ids or [None]
            for line in items:
                product = (line and line.product_id) or (labour if line and line.line_type == "labour" else costs)
                uom = (line and line.uom_id) or product.uom_id
                if not uom._has_common_reference(product.uom_id):
                    uom = product.uom_id
                lines.append(
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": f"{order.name}: {line.name if line else order.title}",
                            "product_qty": line.quantity if line else 1.0,
                            "product_uom_id": uom.id,
                            "price_unit": line.price_unit if line else order.amount_total,
                            "technical_price_unit": line.price_unit if line else order.amount_total,
                            "date_planned": order.date_done,
                            "klusheeren_work_order_id": order.id,
                            "klusheeren_work_order_line_id": line.id if line else False,
                        }
                    )
                )
        company = self.company_id
        # what the purchase order form's partner onchange sets: fiscal position, payment terms
        fiscal_position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(contractor)
        return {
            "partner_id": contractor.id,
            "fiscal_position_id": fiscal_position.id,
            "payment_term_id": contractor.with_company(company).property_supplier_payment_term_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "origin": ", ".join(order.name for order in orders),
            "klusheeren_export_id": self.id,
            "order_line": lines,
        }

    def action_view_purchase_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_form_action")
        action["domain"] = [("klusheeren_export_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _before_reopen(self):
        res = super()._before_reopen()
        if self._open_purchase_orders():
            raise UserError(self.env._("Cancel the purchase orders of export batch %(name)s first.", name=self.name))
        return res
