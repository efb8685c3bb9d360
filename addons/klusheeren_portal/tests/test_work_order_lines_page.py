from odoo.tests import tagged

from .common import KlusheerenPortalCase


@tagged("post_install", "-at_install")
class TestWorkOrderLinesPage(KlusheerenPortalCase):
    """The contractor's lines on /my/work-orders/<id>: typed in the form, checked by the model."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.article = cls.env["product.product"].create(
            {"name": "Thermostaat (test)", "klusheeren_work_order_ok": True, "standard_price": 38.95}
        )
        cls.hidden = cls.env["product.product"].create({"name": "Geheim artikel", "standard_price": 1})
        cls.order = cls.new_report().work_order_ids
        cls.order.action_accept()

    def page(self):
        return self.url_open(self.work_order_url(self.order)).text

    def test_the_contractor_adds_changes_and_removes_lines(self):
        text = self.page()
        self.assertIn("Thermostaat (test)", text, "the catalogue is offered")
        self.assertNotIn("Geheim artikel", text, "articles not meant for work orders are not")
        self.assertIn('name="line-0-name"', text)
        self.assertIn('name="line-1-name"', text, "two empty rows for new lines")
        self.assertIn('name="amount_total"', text, "no lines: a lump sum may be typed")
        response = self.post_work_order(
            self.order,
            "save",
            **{
                "line-0-line_type": "material",
                "line-0-product_id": str(self.article.id),
                "line-0-quantity": "1",
                "line-0-name": "",
                "line-1-line_type": "labour",
                "line-1-name": "Monteur",
                "line-1-quantity": "1,5",
                "line-1-price_unit": "65,00",
                "amount_total": "999",
            },
        )
        self.assertIn("Saved.", response.text)
        article, labour = self.order.line_ids
        self.assertEqual(
            (article.product_id, article.name, article.price_unit), (self.article, "Thermostaat (test)", 38.95)
        )
        self.assertEqual((labour.name, labour.quantity, labour.price_unit), ("Monteur", 1.5, 65))
        self.assertEqual(self.order.amount_total, 136.45, "the sum of the lines, not the typed 999")
        text = self.page()
        self.assertNotIn('name="amount_total"', text, "with lines the total is computed")
        self.assertIn("136.45", text)
        self.assertIn(f'name="line-0-id" value="{article.id}"', text)
        self.assertIn('name="line-3-name"', text, "two new rows under the two lines")
        # the labour line changed, the article removed
        self.post_work_order(
            self.order,
            "save",
            **{
                "line-0-id": str(article.id),
                "line-0-product_id": str(self.article.id),
                "line-0-name": article.name,
                "line-0-quantity": "1",
                "line-0-price_unit": "38.95",
                "line-0-remove": "1",
                "line-1-id": str(labour.id),
                "line-1-line_type": "labour",
                "line-1-name": "Monteur",
                "line-1-quantity": "2",
                "line-1-price_unit": "65",
            },
        )
        self.assertEqual(self.order.line_ids, labour)
        self.assertEqual(self.order.amount_total, 130)

    def test_refused_lines_are_shown_again_with_the_reason(self):
        response = self.post_work_order(
            self.order, "save", **{"line-0-name": "Onderdeel", "line-0-quantity": "1", "line-0-price_unit": "nan"}
        )
        self.assertIn("o_klusheeren_error", response.text)
        self.assertIn('value="Onderdeel"', response.text, "what was typed is not lost")
        self.assertFalse(self.order.line_ids)
        response = self.post_work_order(
            self.order, "save", **{"line-0-name": "Onderdeel", "line-0-quantity": "veel", "line-0-price_unit": "1"}
        )
        self.assertIn("The quantity of a line must be a number", response.text)

    def test_lines_are_locked_after_done(self):
        self.post_work_order(self.order, "done", **{"line-0-name": "Onderdeel", "line-0-price_unit": "10"})
        self.assertEqual(self.order.state, "done")
        line = self.order.line_ids
        self.assertEqual(self.order.amount_total, 10)
        text = self.page()
        self.assertIn("Onderdeel", text, "the lines stay on the page")
        self.assertNotIn('name="line-1-name"', text, "no new rows on a completed order")
        response = self.post_work_order(
            self.order, "save", **{"line-0-id": str(line.id), "line-0-name": "Onderdeel", "line-0-price_unit": "1000"}
        )
        self.assertIn("o_klusheeren_error", response.text)
        self.assertEqual(line.price_unit, 10)

    def test_contractor_sees_its_own_figures_only(self):
        """Record rules on klusheeren.ticket.report: a contractor's portal login reads the rows of
        its own work orders, not another contractor's, not tickets without work order; customer
        users read none."""
        other = self.new_report(self.other_equipment).work_order_ids
        without = self.new_report(self.equipment_none)
        Report = self.env["klusheeren.ticket.report"]
        Report._klusheeren_refresh()
        mine = Report.with_user(self.contractor_user).search([])
        self.assertIn(self.order.ticket_id, mine.ticket_id)
        self.assertNotIn(other.ticket_id, mine.ticket_id)
        self.assertNotIn(without, mine.ticket_id)
        self.assertEqual(set(mine.contractor_id.ids), {self.contractor.id})
        groups = Report.with_user(self.contractor_user)._read_group([], ["contractor_id"], ["__count"])
        self.assertEqual([partner for partner, _count in groups], [self.contractor])
        self.assertFalse(Report.with_user(self.customer_user).search([]))
        # the back office sees everything
        everything = Report.with_user(self.backoffice).search([])
        self.assertTrue({self.order.ticket_id.id, other.ticket_id.id, without.id} <= set(everything.ticket_id.ids))
