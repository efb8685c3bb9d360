import base64
import csv
import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common import KlusheerenHelpdeskCase


@tagged("post_install", "-at_install")
class TestExport(KlusheerenHelpdeskCase):
    def setUp(self):
        super().setUp()
        self.done = self.report().work_order_ids
        self.done.action_accept()
        self.done.contractor_save({"amount_total": 258.17, "warranty": True, "contractor_reference": "F-34509-1"})
        self.done.action_done()
        self.open = self.report().work_order_ids  # not done: not exported

    def export(self, fmt):
        wizard = self.env["klusheeren.work.order.export"].with_user(self.backoffice).create(
            {"date_from": date(2000, 1, 1), "date_to": date.today(), "file_format": fmt}
        )
        action = wizard.action_export()
        self.assertIn(f"/web/content/klusheeren.work.order.export/{wizard.id}/data/", action["url"])
        return base64.b64decode(wizard.data)

    def test_xlsx(self):
        book = load_workbook(io.BytesIO(self.export("xlsx")))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Work order")
        names = [r[0] for r in rows[1:]]
        self.assertIn(self.done.name, names)
        self.assertNotIn(self.open.name, names)
        row = rows[names.index(self.done.name) + 1]
        self.assertEqual(row[1], self.done.ticket_id.number)
        self.assertEqual(row[3], "Koeltechniek Jansen")
        self.assertEqual(row[4], "F-34509-1")
        self.assertAlmostEqual(row[7], 258.17)
        self.assertEqual(row[9], "Yes")

    def test_csv(self):
        content = self.export("csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
        self.assertEqual(rows[0][7], "Amount excl. VAT")
        names = [r[0] for r in rows[1:]]
        self.assertIn(self.done.name, names)
        self.assertNotIn(self.open.name, names)
        row = rows[names.index(self.done.name) + 1]
        self.assertEqual(row[7], "258.17")
