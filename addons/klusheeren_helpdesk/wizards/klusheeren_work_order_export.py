import base64
import csv
import io
from datetime import timedelta

import xlsxwriter

from odoo import _, fields, models
from odoo.exceptions import UserError


class KlusheerenWorkOrderExport(models.TransientModel):
    """Finance: the invoice amounts of completed work orders, as XLSX or CSV."""

    _name = "klusheeren.work.order.export"
    _description = "Export Invoice Amounts of Work Orders"

    date_from = fields.Date(required=True, default=lambda self: fields.Date.today().replace(day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    contractor_ids = fields.Many2many(
        "res.partner", string="Contractors", domain=[("klusheeren_is_contractor", "=", True)]
    )
    file_format = fields.Selection([("xlsx", "Excel (XLSX)"), ("csv", "CSV")], default="xlsx", required=True)
    data = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _columns(self):
        return [
            _("Work order"),
            _("Ticket"),
            _("Completed on"),
            _("Contractor"),
            _("Contractor reference"),
            _("Site"),
            _("Equipment"),
            _("Amount excl. VAT"),
            _("Currency"),
            _("Warranty"),
        ]

    def _rows(self):
        if self.date_from > self.date_to:
            raise UserError(_("The start date is after the end date."))
        domain = [
            ("state", "=", "done"),
            ("date_done", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("date_done", "<", fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)),
        ]
        if self.contractor_ids:
            domain.append(("contractor_id", "in", self.contractor_ids.ids))
        orders = self.env["klusheeren.work.order"].search(domain, order="date_done, id")
        yes, no = _("Yes"), _("No")
        return [
            [
                o.name,
                o.ticket_id.number,
                fields.Datetime.context_timestamp(self, o.date_done).date(),
                o.contractor_id.name,
                o.contractor_reference or "",
                o.site_id.name or "",
                o.equipment_id.name or "",
                o.amount_total,
                o.currency_id.name,
                yes if o.warranty else no,
            ]
            for o in orders
        ]

    def _xlsx(self, rows):
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        sheet = book.add_worksheet(_("Work orders"))
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        for col, title in enumerate(self._columns()):
            sheet.write(0, col, title, bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if col == 2:
                    sheet.write_datetime(r, col, fields.Datetime.to_datetime(value), date)
                elif col == 7:
                    sheet.write_number(r, col, value, money)
                else:
                    sheet.write(r, col, value)
        if rows:
            sheet.write(len(rows) + 1, 6, _("Total"), bold)
            sheet.write_formula(len(rows) + 1, 7, f"=SUM(H2:H{len(rows) + 1})", money)
        sheet.set_column(0, 6, 20)
        sheet.set_column(7, 9, 14)
        book.close()
        return buf.getvalue()

    def _csv(self, rows):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";")
        writer.writerow(self._columns())
        for row in rows:
            row = list(row)
            row[2] = row[2].isoformat()
            row[7] = f"{row[7]:.2f}"
            writer.writerow(row)
        return buf.getvalue().encode("utf-8-sig")

    def action_export(self):
        self.ensure_one()
        rows = self._rows()
        content = self._xlsx(rows) if self.file_format == "xlsx" else self._csv(rows)
        self.write(
            {
                "data": base64.b64encode(content),
                "filename": f"work-orders-{self.date_from}-{self.date_to}.{self.file_format}",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/data/{self.filename}?download=true",
            "target": "self",
        }
