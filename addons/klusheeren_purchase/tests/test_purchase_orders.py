from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.klusheeren_finance.tests.common import KlusheerenFinanceCase


@tagged("post_install", "-at_install")
class TestPurchaseOrders(KlusheerenFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tax = cls.env["account.tax"]
        company = cls.env.company
        # the test's own taxes: the addon never names a rate, Odoo maps these
        cls.tax_high = Tax.create(
            {"name": "Inkoop 21% (test)", "amount": 21, "type_tax_use": "purchase", "company_id": company.id}
        )
        cls.tax_low = Tax.create(
            {"name": "Inkoop 9% (test)", "amount": 9, "type_tax_use": "purchase", "company_id": company.id}
        )
        cls.tax_reverse = Tax.create(
            {"name": "Verlegd 0% (test)", "amount": 0, "type_tax_use": "purchase", "company_id": company.id}
        )
        cls.call_out.supplier_taxes_id = cls.tax_high
        cls.seal.supplier_taxes_id = cls.tax_low
        cls.costs = cls.env.ref("klusheeren_purchase.product_work_order_costs")
        cls.costs.supplier_taxes_id = cls.tax_high
        cls.labour = cls.env.ref("klusheeren_purchase.product_work_order_labour")
        cls.labour.supplier_taxes_id = cls.tax_high
        # the foreign contractor: reverse charge through its fiscal position
        cls.fiscal_position = cls.env["account.fiscal.position"].create(
            {"name": "Verlegd (test)", "company_id": company.id}
        )
        cls.tax_reverse.original_tax_ids = cls.tax_high | cls.tax_low
        cls.tax_reverse.fiscal_position_ids = cls.fiscal_position
        cls.contractor_en.property_account_position_id = cls.fiscal_position

    def setUp(self):
        super().setUp()
        lines = [
            {"line_type": "call_out", "product_id": self.call_out.id},
            {"line_type": "material", "product_id": self.seal.id, "quantity": 2, "price_unit": 12.5},
            {"line_type": "labour", "name": "Monteur", "quantity": 1.5, "price_unit": 65},
        ]
        self.first = self.done_order(lines=lines, contractor_reference="F-1")
        self.second = self.done_order(amount_total=100)
        self.foreign = self.done_order(self.other_equipment, lines=lines[:2])
        self.batch = self.new_batch()
        self.batch.action_export()

    def test_one_purchase_order_per_contractor(self):
        self.batch.action_create_purchase_orders()
        orders = self.batch.purchase_order_ids
        self.assertEqual(len(orders), 2)
        self.assertEqual(orders.partner_id, self.contractor | self.contractor_en)
        self.assertTrue(all(po.state == "purchase" for po in orders), "confirmed")
        jansen = orders.filtered(lambda po: po.partner_id == self.contractor)
        self.assertEqual(jansen.origin, f"{self.first.name}, {self.second.name}")
        self.assertEqual(jansen.currency_id, self.batch.currency_id)
        sections = jansen.order_line.filtered(lambda line: line.display_type == "line_section")
        self.assertEqual(sections.klusheeren_work_order_id, self.first | self.second)
        self.assertTrue(sections[0].name.startswith(f"{self.first.name} - F-1 - "))
        lines = jansen.order_line - sections
        self.assertEqual(
            [(ln.product_id, ln.product_qty, ln.price_unit, ln.product_uom_id, ln.tax_ids) for ln in lines],
            [
                (self.call_out, 1, 45, self.call_out.uom_id, self.tax_high),
                (self.seal, 2, 12.5, self.seal.uom_id, self.tax_low),
                (self.labour, 1.5, 65, self.env.ref("uom.product_uom_hour"), self.tax_high),
                (self.costs, 1, 100, self.costs.uom_id, self.tax_high),
            ],
        )
        self.assertEqual(lines[2].name, f"{self.first.name}: Monteur")
        self.assertEqual(lines[3].name, f"{self.second.name}: {self.second.title}")
        self.assertEqual(lines[:3].klusheeren_work_order_line_id, self.first.line_ids)
        self.assertEqual(jansen.amount_untaxed, self.first.amount_total + self.second.amount_total)
        self.assertAlmostEqual(jansen.amount_tax, 53.18)
        # the work is done: received, the contractor's bill is matched on these lines
        self.assertEqual(lines.mapped("qty_received"), lines.mapped("product_qty"))
        self.assertEqual(jansen.invoice_status, "to invoice")

    def test_fiscal_position_maps_the_taxes(self):
        self.batch.action_create_purchase_orders()
        foreign = self.batch.purchase_order_ids.filtered(lambda po: po.partner_id == self.contractor_en)
        self.assertEqual(foreign.fiscal_position_id, self.fiscal_position)
        lines = foreign.order_line.filtered(lambda line: not line.display_type)
        self.assertEqual(lines.tax_ids, self.tax_reverse)
        self.assertEqual(foreign.amount_tax, 0)
        self.assertEqual(foreign.origin, self.foreign.name)

    def test_purchase_orders_once_and_reopen_after_cancelling(self):
        self.batch.action_create_purchase_orders()
        with self.assertRaisesRegex(UserError, "already"):
            self.batch.action_create_purchase_orders()
        with self.assertRaisesRegex(UserError, "Cancel the purchase orders"):
            self.batch.with_user(self.manager).action_reopen("Correctie")
        self.batch.sudo().purchase_order_ids.button_cancel()
        self.batch.with_user(self.manager).action_reopen("Correctie")
        self.assertEqual(self.batch.state, "draft")

    def test_a_draft_batch_has_no_purchase_orders(self):
        draft = self.new_batch()
        with self.assertRaisesRegex(UserError, "Export the batch first"):
            draft.action_create_purchase_orders()

    def test_finance_creates_them_without_purchase_rights(self):
        action = self.batch.with_user(self.finance).action_create_purchase_orders()
        self.assertEqual(len(self.batch.purchase_order_ids), 2)
        self.assertEqual(action["domain"], [("klusheeren_export_id", "=", self.batch.id)])
