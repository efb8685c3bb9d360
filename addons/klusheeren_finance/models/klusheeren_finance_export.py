import csv
import io
from datetime import timedelta

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.klusheeren_base.tools.boundary import check_system_fields, writes_system_fields

MANAGER = "klusheeren_base.group_klusheeren_manager"
EXPORTERS = ("klusheeren_base.group_klusheeren_user", "klusheeren_finance.group_klusheeren_finance")
# A text cell starting with one of these is a formula to Excel/LibreOffice (CSV injection):
# such cells get a leading apostrophe (OWASP's advice), which Excel shows as text.
# shown read-only: written by export and reopen only (docs/SECURITY.md)
SYSTEM_FIELDS = ("name", "state", "date_exported", "exported_by_id", "xlsx_attachment_id", "csv_attachment_id")
NEW_VALUES = {("name", "/"), ("state", "draft")}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell for the CSV that no spreadsheet program evaluates."""
    text = "" if value is None or value is False else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def dutch_number(value, digits=2):
    """1234.5 -> '1234,50': what Dutch Excel reads as a number (no thousands separator)."""
    return f"{value:.{digits}f}".replace(".", ",")


class KlusheerenFinanceExport(models.Model):
    """A batch of completed work orders for finance: chosen by period, contractor(s) and/or
    customer(s); the export binds every work order to the batch (once: a work order belongs to
    at most one batch, bound by one conditional UPDATE) and keeps the XLSX and CSV it made as
    attachments. A manager may reopen a batch: its work orders are released and can be
    exported again, the files made before stay in the chatter."""

    _name = "klusheeren.finance.export"
    _description = "Finance Export Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("draft", "Draft"), ("exported", "Exported")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Completed from",
        required=True,
        default=lambda self: (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1),
    )
    date_to = fields.Date(
        string="Completed until",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - timedelta(days=1),
    )
    contractor_ids = fields.Many2many(
        "res.partner",
        "klusheeren_finance_export_contractor_rel",
        "export_id",
        "partner_id",
        string="Contractors",
        domain=[("klusheeren_is_contractor", "=", True)],
        help="Empty: every contractor.",
    )
    customer_ids = fields.Many2many(
        "res.partner",
        "klusheeren_finance_export_customer_rel",
        "export_id",
        "partner_id",
        string="Customers",
        domain=[("is_company", "=", True), ("klusheeren_is_contractor", "=", False)],
        help="Companies whose sites the work was done at. Empty: every customer.",
    )
    work_order_ids = fields.One2many(
        "klusheeren.work.order", "klusheeren_export_id", string="Work orders", readonly=True
    )
    work_order_count = fields.Integer(compute="_compute_totals", string="Work orders (count)")
    amount_total = fields.Monetary(compute="_compute_totals", string="Total excl. VAT")
    candidate_count = fields.Integer(
        compute="_compute_candidate_count",
        string="To export",
        help="Completed work orders in this selection that no batch has exported yet.",
    )
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="Excel file", readonly=True, copy=False)
    csv_attachment_id = fields.Many2one("ir.attachment", string="CSV file", readonly=True, copy=False)
    date_exported = fields.Datetime(string="Exported on", readonly=True, copy=False)
    exported_by_id = fields.Many2one("res.users", string="Exported by", readonly=True, copy=False)

    _name_unique = models.Constraint("UNIQUE(name, company_id)", "Export batch numbers are unique.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a batch starts as a draft with a number from the sequence, whoever creates it
            given = {k: v for k, v in vals.items() if k in SYSTEM_FIELDS and v and (k, v) not in NEW_VALUES}
            check_system_fields(self, given, SYSTEM_FIELDS)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("klusheeren.finance.export") or "/"
        return super().create(vals_list)

    @api.depends("work_order_ids.amount_total")
    def _compute_totals(self):
        for batch in self:
            batch.work_order_count = len(batch.work_order_ids)
            batch.amount_total = sum(batch.work_order_ids.mapped("amount_total"))

    @api.depends("date_from", "date_to", "contractor_ids", "customer_ids", "state")
    def _compute_candidate_count(self):
        for batch in self:
            ok = batch.state == "draft" and batch.date_from and batch.date_to
            batch.candidate_count = (
                self.env["klusheeren.work.order"].search_count(batch._candidate_domain()) if ok else 0
            )

    def _candidate_domain(self):
        self.ensure_one()
        domain = [
            ("state", "=", "done"),
            ("klusheeren_export_id", "=", False),
            ("company_id", "=", self.company_id.id),
            ("date_done", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("date_done", "<", fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)),
        ]
        if self.contractor_ids:
            domain.append(("contractor_id", "child_of", self.contractor_ids.ids))
        if self.customer_ids:
            domain.append(("site_id", "child_of", self.customer_ids.ids))
        return domain

    # ------------------------------------------------------------------
    # Who may
    # ------------------------------------------------------------------
    def _check_exporter(self):
        if not self.env.su and not any(self.env.user.has_group(g) for g in EXPORTERS):
            raise AccessError(self.env._("Only the KlusHeeren back office or finance can export."))

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a KlusHeeren manager can reopen an export batch."))

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def write(self, vals):
        check_system_fields(self, vals, SYSTEM_FIELDS)
        return super().write(vals)

    @writes_system_fields
    def action_export(self):
        """Bind the completed work orders not exported yet, make the files, keep them."""
        self._check_exporter()
        for batch in self:
            if batch.state != "draft":
                raise UserError(self.env._("Export batch %(name)s has been exported already.", name=batch.name))
            if batch.date_from > batch.date_to:
                raise UserError(self.env._("The start date is after the end date."))
            batch._bind_work_orders()
            batch._make_files()
            batch.write({"state": "exported", "date_exported": fields.Datetime.now(), "exported_by_id": self.env.uid})
            batch.message_post(
                body=self.env._(
                    "%(count)s work orders exported, %(amount)s excl. VAT.",
                    count=batch.work_order_count,
                    amount=batch.currency_id.format(batch.amount_total),
                ),
                attachment_ids=(batch.xlsx_attachment_id | batch.csv_attachment_id).ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _bind_work_orders(self):
        """Each work order once: one UPDATE that only takes orders still without a batch. A
        batch made at the same time in another transaction waits for this one's row locks and
        then finds them taken (or PostgreSQL makes Odoo retry it)."""
        self.ensure_one()
        WorkOrder = self.env["klusheeren.work.order"]
        candidates = WorkOrder.search(self._candidate_domain(), order="date_done, id")
        if not candidates:
            raise UserError(self.env._("There are no completed work orders to export in this selection."))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE klusheeren_work_order SET klusheeren_export_id = %s
                    WHERE id IN %s AND klusheeren_export_id IS NULL AND state = 'done'
                RETURNING id""",
                self.id,
                tuple(candidates.ids),
            )
        )
        bound = {row[0] for row in self.env.cr.fetchall()}
        WorkOrder.invalidate_model(["klusheeren_export_id"])
        self.invalidate_recordset(["work_order_ids"])
        if len(bound) != len(candidates):
            raise UserError(
                self.env._("Some of these work orders were exported by another batch just now: export again.")
            )

    def _orders(self):
        # sudo: the exporter was checked (_check_exporter); a finance user reads no tickets,
        # sites or equipment otherwise, yet their names belong in the files
        return self.sudo().work_order_ids.sorted(lambda o: (o.date_done, o.id))

    def _order_columns(self):
        return [
            self.env._("Work order"),
            self.env._("Ticket"),
            self.env._("Completed on"),
            self.env._("Contractor"),
            self.env._("Contractor reference"),
            self.env._("Customer"),
            self.env._("Site"),
            self.env._("Equipment"),
            self.env._("Warranty"),
            self.env._("Lines"),
            self.env._("Amount excl. VAT"),
            self.env._("Currency"),
            self.env._("Export batch"),
        ]

    def _klusheeren_local(self, moment):
        """A stored UTC moment in the exporter's time zone, else the company's (a cron, the demo)."""
        tz = self.env.context.get("tz") or self.env.company._klusheeren_tz()
        return fields.Datetime.context_timestamp(self.with_context(tz=tz), moment)

    def _order_row(self, order):
        """One work order: (values, kinds) with kinds 'text', 'date', 'money', 'int'."""
        yes, no = self.env._("Yes"), self.env._("No")
        return [
            (order.name, "text"),
            (order.ticket_id.number or "", "text"),
            (self._klusheeren_local(order.date_done).date(), "date"),
            (order.contractor_id.name or "", "text"),
            (order.contractor_reference or "", "text"),
            (order.site_id and order.site_id._klusheeren_customer().name or "", "text"),
            (order.site_id.name or "", "text"),
            (order.equipment_id.name or "", "text"),
            (yes if order.warranty else no, "text"),
            (len(order.line_ids), "int"),
            (order.amount_total, "money"),
            (order.currency_id.name, "text"),
            (self.name, "text"),
        ]

    def _line_columns(self):
        return [
            self.env._("Work order"),
            self.env._("Contractor"),
            self.env._("Type"),
            self.env._("Article code"),
            self.env._("Description"),
            self.env._("Quantity"),
            self.env._("Unit"),
            self.env._("Unit price excl. VAT"),
            self.env._("Subtotal excl. VAT"),
        ]

    def _line_rows(self, order):
        """The order's lines; an order without lines has one: its lump sum."""
        types = dict(self.env["klusheeren.work.order.line"]._fields["line_type"]._description_selection(self.env))
        if not order.line_ids:
            lump_sum = self.env._("Lump sum")
            return [
                [
                    (order.name, "text"),
                    (order.contractor_id.name or "", "text"),
                    (lump_sum, "text"),
                    ("", "text"),
                    (order.title or "", "text"),
                    (1, "qty"),
                    ("", "text"),
                    (order.amount_total, "money"),
                    (order.amount_total, "money"),
                ]
            ]
        return [
            [
                (order.name, "text"),
                (order.contractor_id.name or "", "text"),
                (types.get(line.line_type, ""), "text"),
                (line.product_id.default_code or "", "text"),
                (line.name or "", "text"),
                (line.quantity, "qty"),
                (line.uom_id.name or "", "text"),
                (line.price_unit, "money"),
                (line.price_subtotal, "money"),
            ]
            for line in order.line_ids
        ]

    def _xlsx(self, orders):
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        bold = book.add_format({"bold": True})
        formats = {
            "money": book.add_format({"num_format": "#,##0.00"}),
            "date": book.add_format({"num_format": "dd-mm-yyyy"}),
            "qty": book.add_format({"num_format": "0.###"}),
            "int": None,
        }

        def write(sheet, r, c, value, kind):
            if kind == "text":
                sheet.write_string(r, c, value)  # never a formula, whatever it starts with
            elif kind == "date":
                sheet.write_datetime(r, c, fields.Datetime.to_datetime(value), formats["date"])
            else:
                sheet.write_number(r, c, value, formats[kind])

        sheet = book.add_worksheet(self.env._("Work orders"))
        sheet.write_row(0, 0, self._order_columns(), bold)
        total = 0.0
        for r, order in enumerate(orders, start=1):
            for c, (value, kind) in enumerate(self._order_row(order)):
                write(sheet, r, c, value, kind)
            total += order.amount_total
        money_col = self._order_columns().index(self.env._("Amount excl. VAT"))
        if orders:
            last = len(orders) + 1
            sheet.write_string(last, money_col - 1, self.env._("Total"), bold)
            col = xl_col_to_name(money_col)
            sheet.write_formula(last, money_col, f"=SUM({col}2:{col}{last})", formats["money"], round(total, 2))
        sheet.set_column(0, len(self._order_columns()) - 1, 18)
        sheet.freeze_panes(1, 0)

        lines = book.add_worksheet(self.env._("Lines"))
        lines.write_row(0, 0, self._line_columns(), bold)
        r = 1
        for order in orders:
            for row in self._line_rows(order):
                for c, (value, kind) in enumerate(row):
                    write(lines, r, c, value, kind)
                r += 1
        lines.set_column(0, len(self._line_columns()) - 1, 18)
        lines.freeze_panes(1, 0)
        book.close()
        return buf.getvalue()

    def _csv(self, orders):
        """One row per line (a lump sum is one line), with its work order's columns: what a
        finance system imports. Semicolons, decimal commas, dd-mm-yyyy, UTF-8 with BOM: Dutch
        Excel opens it as it is."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        order_columns = self._order_columns()
        writer.writerow([neutralise(c) for c in order_columns + self._line_columns()[2:]])

        def cell(value, kind):
            if kind == "text":
                return neutralise(value)
            if kind == "date":
                return value.strftime("%d-%m-%Y")
            if kind == "money":
                return dutch_number(value)
            if kind == "qty":
                return dutch_number(value, 3).rstrip("0").rstrip(",")
            return str(value)

        for order in orders:
            head = [cell(v, k) for v, k in self._order_row(order)]
            for row in self._line_rows(order):
                writer.writerow(head + [cell(v, k) for v, k in row[2:]])
        return buf.getvalue().encode("utf-8-sig")

    def _make_files(self):
        self.ensure_one()
        orders = self._orders()
        stem = f"{self.name}-{self.date_from}-{self.date_to}"
        Attachment = self.env["ir.attachment"].sudo()  # the batch's own files; exporter checked
        xlsx = Attachment.create(
            {
                "name": f"{stem}.xlsx",
                "raw": self._xlsx(orders),
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        csv_file = Attachment.create(
            {
                "name": f"{stem}.csv",
                "raw": self._csv(orders),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write({"xlsx_attachment_id": xlsx.id, "csv_attachment_id": csv_file.id})

    def _download(self, attachment):
        self.ensure_one()
        if not attachment:
            raise UserError(self.env._("Export the batch first."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_download_xlsx(self):
        return self._download(self.xlsx_attachment_id)

    def action_download_csv(self):
        return self._download(self.csv_attachment_id)

    @writes_system_fields
    def action_reopen(self, reason):
        """A manager reopens the batch: the work orders are free to be exported again (the
        files made before stay attached, in the chatter)."""
        self._check_manager()
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason for reopening the export batch."))
        for batch in self:
            if batch.state != "exported":
                raise UserError(self.env._("Export batch %(name)s is not exported.", name=batch.name))
            batch._before_reopen()
            count = len(batch.work_order_ids)
            # sudo: _before_reopen checked the manager; the batch's link on its orders is the system's
            batch.work_order_ids.sudo().write({"klusheeren_export_id": False})
            batch.write({"state": "draft", "xlsx_attachment_id": False, "csv_attachment_id": False})
            batch.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s. %(count)s work orders can be exported again.",
                    user=self.env.user.name,
                    reason=reason,
                    count=count,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _before_reopen(self):
        """Hook: klusheeren_purchase refuses while the batch has confirmed purchase orders."""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_exported(self):
        if any(batch.state == "exported" for batch in self):
            raise UserError(self.env._("An exported batch cannot be deleted: a manager may reopen it."))
