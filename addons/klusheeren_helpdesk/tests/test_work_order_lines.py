import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext
from odoo.tools.pdf import PdfFileReader

from .common import KlusheerenHelpdeskCase


def pdf_text(pdf):
    reader = PdfFileReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@tagged("post_install", "-at_install")
class TestWorkOrderLines(KlusheerenHelpdeskCase):
    """The lines of a work order: the contractor's (validated by the model), the total, the PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.call_out = Product.create(
            {"name": "Voorrijkosten test", "type": "service", "klusheeren_work_order_ok": True, "standard_price": 45}
        )
        cls.seal = Product.create(
            {
                "name": "Afdichting test",
                "default_code": "AFD-T",
                "klusheeren_work_order_ok": True,
                "standard_price": 12.5,
            }
        )
        cls.secret = Product.create({"name": "Not for contractors", "standard_price": 1})
        cls.hour = cls.env.ref("uom.product_uom_hour")
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.meter = cls.env.ref("uom.product_uom_meter")

    def setUp(self):
        super().setUp()
        self.order = self.report().work_order_ids
        self.order.action_accept()

    def save(self, lines, order=None, **vals):
        # as the page does: a superuser record after its access check
        return (order or self.order).sudo().contractor_save({"lines": lines, **vals})

    def lines(self):
        return [
            {"line_type": "call_out", "product_id": self.call_out.id},
            {"line_type": "labour", "name": "Monteur", "quantity": 1.5, "price_unit": 65},
            {"line_type": "material", "product_id": self.seal.id, "quantity": 2, "price_unit": 13.333},
            {"name": "Kabel", "quantity": 2.5, "uom_id": self.meter.id, "price_unit": 3.1},
        ]

    def test_lines_from_the_contractor_and_their_total(self):
        self.assertTrue(self.save(self.lines()))
        lines = self.order.line_ids
        self.assertEqual(len(lines), 4)
        call_out, labour, seal, cable = lines
        self.assertEqual(call_out.name, "Voorrijkosten test", "the article's name when none is typed")
        self.assertEqual(call_out.price_unit, 45, "the catalogue's price when none is typed")
        self.assertEqual(call_out.quantity, 1)
        self.assertEqual(labour.uom_id, self.hour, "labour is counted in hours")
        self.assertEqual(seal.price_unit, 13.33, "prices are rounded to the currency")
        self.assertEqual(seal.uom_id, self.seal.uom_id)
        self.assertEqual(cable.uom_id, self.meter)
        self.assertEqual(cable.price_subtotal, 7.75)
        self.assertEqual(self.order.amount_total, 45 + 97.5 + 26.66 + 7.75)
        # the same list again, one line changed and one left out: updated and removed
        rows = [
            {
                "id": line.id,
                "name": line.name,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "line_type": line.line_type,
                "product_id": line.product_id.id,
                "uom_id": line.uom_id.id,
            }
            for line in lines
        ]
        rows[1]["quantity"] = 2
        del rows[3]
        self.save(rows)
        self.assertEqual(self.order.line_ids, lines[:3])
        self.assertEqual(labour.quantity, 2)
        self.assertEqual(self.order.amount_total, 45 + 130 + 26.66)

    def test_a_lump_sum_only_without_lines(self):
        self.order.sudo().contractor_save({"amount_total": 250})
        self.assertEqual(self.order.amount_total, 250)
        self.save([{"name": "Onderdeel", "price_unit": 20}])
        self.assertEqual(self.order.amount_total, 20, "with lines the total is their sum")
        with self.assertRaisesRegex(UserError, "sum of the lines"):
            self.order.sudo().contractor_save({"amount_total": 300})
        self.save([], amount_total=300)
        self.assertFalse(self.order.line_ids)
        self.assertEqual(self.order.amount_total, 300, "all lines removed: a lump sum again")

    def test_refused_lines(self):
        other = self.report().work_order_ids
        other.action_accept()
        self.save([{"name": "Ander", "price_unit": 1}], order=other)
        cases = {
            "NaN price": [{"name": "x", "price_unit": float("nan")}],
            "infinite price": [{"name": "x", "price_unit": float("inf")}],
            "negative price": [{"name": "x", "price_unit": -0.01}],
            "huge price": [{"name": "x", "price_unit": 10_000_001}],
            "text price": [{"name": "x", "price_unit": "12"}],
            "boolean price": [{"name": "x", "price_unit": True}],
            "NaN quantity": [{"name": "x", "price_unit": 1, "quantity": float("nan")}],
            "zero quantity": [{"name": "x", "price_unit": 1, "quantity": 0}],
            "negative quantity": [{"name": "x", "price_unit": 1, "quantity": -1}],
            "huge quantity": [{"name": "x", "price_unit": 1, "quantity": 10_001}],
            "total above the bound": [{"name": "x", "price_unit": 9_000_000}, {"name": "y", "price_unit": 2_000_000}],
            "too many lines": [{"name": f"x{i}", "price_unit": 1} for i in range(51)],
            "another order's line": [{"id": other.line_ids.id, "name": "x", "price_unit": 1}],
            "unknown line id": [{"id": 987654321, "name": "x", "price_unit": 1}],
            "line id twice": [],  # filled below
            "article not in the catalogue": [{"product_id": self.secret.id}],
            "unknown unit": [{"name": "x", "price_unit": 1, "uom_id": self.env.ref("uom.product_uom_gal").id}],
            "unit of another kind than the article's": [{"product_id": self.seal.id, "uom_id": self.hour.id}],
            "unknown type": [{"name": "x", "price_unit": 1, "line_type": "bonus"}],
            "no description": [{"name": "  ", "price_unit": 1}],
            "description too long": [{"name": "x" * 201, "price_unit": 1}],
            "free text without price": [{"name": "x"}],
            "not a list": {"name": "x"},
            "not a dict": ["x"],
        }
        self.save([{"name": "Eigen", "price_unit": 5}])
        own = self.order.line_ids
        cases["line id twice"] = [
            {"id": own.id, "name": "a", "price_unit": 1},
            {"id": own.id, "name": "b", "price_unit": 1},
        ]
        for case, lines in cases.items():
            with self.subTest(case=case), self.assertRaises(UserError):
                self.save(lines)
            self.assertEqual(self.order.line_ids, own)
            self.assertEqual(own.name, "Eigen")
            self.assertEqual(other.line_ids.name, "Ander")

    def test_states_gate_the_lines(self):
        sent = self.report().work_order_ids
        with self.assertRaisesRegex(UserError, "Accept the work order first"):
            self.save([{"name": "x", "price_unit": 1}], order=sent)
        self.save([{"name": "Onderdeel", "price_unit": 10}])
        self.order.sudo().action_done()
        with self.assertRaisesRegex(UserError, "closed"):
            self.save([{"name": "Later", "price_unit": 1}])
        line = self.order.line_ids
        as_bo = line.with_user(self.backoffice)
        with self.assertRaisesRegex(UserError, "locked"):
            as_bo.write({"price_unit": 1})
        with self.assertRaisesRegex(UserError, "locked"):
            as_bo.unlink()
        with self.assertRaisesRegex(UserError, "locked"):
            as_bo.create({"work_order_id": self.order.id, "name": "Extra", "price_unit": 1})
        self.assertEqual(self.order.amount_total, 10)
        # a manager may correct a completed order
        line.with_user(self.manager).write({"price_unit": 12})
        self.assertEqual(self.order.amount_total, 12)

    def test_only_the_page_or_the_back_office_saves_lines(self):
        portal = self.env["res.users"].create(
            {"name": "Portaal", "login": "kh_portal_lines", "group_ids": [(4, self.env.ref("base.group_portal").id)]}
        )
        with self.assertRaises(AccessError):
            self.order.with_user(portal).contractor_save({"lines": [{"name": "x", "price_unit": 1}]})
        self.order.with_user(self.backoffice).contractor_save({"lines": [{"name": "x", "price_unit": 1}]})
        self.assertEqual(self.order.amount_total, 1)

    def test_lines_in_the_pdf(self):
        self.save(self.lines(), contractor_reference="F-1")
        # the report's HTML, which wkhtmltopdf prints as is: rendering the PDF itself from a
        # TransactionCase stalls under Odoo's own runner (real PDFs: the portal's HttpCase tests)
        html, kind = self.env["ir.actions.report"]._render_qweb_html(
            "klusheeren_helpdesk.action_report_work_order", self.order.ids
        )
        self.assertEqual(kind, "html")
        text = " ".join(html2plaintext(html.decode()).split())
        # the contractor's language (Dutch)
        for expected in ("Voorrijkosten test", "Monteur", "[AFD-T] Afdichting test", "Uur", "Totaal excl. btw"):
            self.assertIn(expected, text)
        for cell in ("Kabel", "Materiaal", "2,50"):
            self.assertIn(cell, text, "a row: description, type, quantity, unit")
        self.assertIn("176,91", text, "the total of the lines")
