from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from odoo.addons.klusheeren_base.tools.boundary import check_system_fields, clean_header_fields
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

from .helpdesk_ticket import SENDING_JOB

STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("on_hold", "Parts on order"),
    ("done", "Done"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "sent", "accepted", "on_hold")
# What the contractor fills in on the work order page, until the order is done.
CONTRACTOR_FIELDS = (
    "appointment_date",
    "contractor_remarks",
    "amount_total",
    "warranty",
    "contractor_reference",
    "line_ids",
)
# Technical fields that may still change on a locked (done) work order.
LOCK_FREE_FIELDS = {
    "mail_pending",
    "access_token",
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
}
MANAGER = "klusheeren_base.group_klusheeren_manager"
REASSIGN_ACTIVITY = "klusheeren_helpdesk.mail_activity_type_reassign"
BACK_OFFICE = "klusheeren_base.group_klusheeren_user"
# Bounds of what the contractor types (checked here, whoever calls).
AMOUNT_MAX = 10_000_000
TEXT_MAX = 5000
REFERENCE_MAX = 64
LINES_MAX = 50
LINE_NAME_MAX = 200
QUANTITY_MAX = 10_000
HEADER_FIELDS = ("title", "contractor_reference")  # in subjects of the e-mails: one line
SYSTEM_FIELDS = ("name", "access_token")  # the number (sequence) and the contractor's link
APPOINTMENT_PAST_DAYS = 90
APPOINTMENT_FUTURE_DAYS = 730
# States in which the contractor may fill in the work order; a sent order is accepted first.
EDITABLE_STATES = ("accepted", "on_hold")


class KlusheerenWorkOrder(models.Model):
    _name = "klusheeren.work.order"
    _description = "Work Order"
    _inherit = ["klusheeren.token.mixin", "mail.thread", "mail.activity.mixin", "klusheeren.job.mixin"]
    _klusheeren_job_cron = SENDING_JOB
    _order = "id desc"
    _check_company_auto = True

    # the contractor's link: the back office only (a finance user reads the order, never its
    # link), rotated when the contractor changes
    access_token = fields.Char(groups="klusheeren_base.group_klusheeren_user")

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/", index="trigram")
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade", check_company=True)
    equipment_id = fields.Many2one("maintenance.equipment", tracking=True, index="btree_not_null", check_company=True)
    site_id = fields.Many2one(
        "res.partner",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    contractor_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        index=True,
        domain=[("klusheeren_is_contractor", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain=[("share", "=", False)],
        tracking=True,
        help="Back-office user told of every action of the contractor.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    title = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize=True)
    reporter_id = fields.Many2one(related="ticket_id.partner_id", string="Reporter")
    # Seed 000's "Opdracht Information"
    appointment_date = fields.Datetime(tracking=True)
    contractor_remarks = fields.Text()
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        string="Total invoice amount excl. VAT",
        compute="_compute_amount_total",
        store=True,
        readonly=False,
        tracking=True,
        currency_field="currency_id",
        help="The sum of the lines; a lump sum typed in when the order has no lines.",
    )
    warranty = fields.Boolean(tracking=True)
    contractor_reference = fields.Char(string="Contractor reference", tracking=True)
    internal_note = fields.Html(
        groups="klusheeren_base.group_klusheeren_user",
        help="Never shown to the contractor: not on the work order page, not in the PDF.",
    )
    contractor_info = fields.Html(string="Information for the contractor", help="Shown on the work order page and PDF.")
    line_ids = fields.One2many("klusheeren.work.order.line", "work_order_id", copy=True)
    amount_lines = fields.Monetary(compute="_compute_amount_lines", currency_field="currency_id")
    date_sent = fields.Datetime(readonly=True, copy=False)
    date_accepted = fields.Datetime(readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    date_refused = fields.Datetime(readonly=True, copy=False)
    refuse_reason = fields.Text(readonly=True, copy=False)
    hold_reason = fields.Text(string="Pause reason", readonly=True, copy=False)
    reminder_count = fields.Integer(readonly=True, copy=False)
    date_last_reminder = fields.Datetime(readonly=True, copy=False)
    reminder_escalated = fields.Boolean(readonly=True, copy=False)
    mail_pending = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="The work order e-mail to the contractor waits for the sending job.",
    )
    is_late = fields.Boolean(string="Late to accept", compute="_compute_is_late", search="_search_is_late")
    responsibility_id = fields.Many2one(
        "klusheeren.responsibility",
        string="Contractor from rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The responsibility rule that chose the contractor. Empty: the equipment's, the "
        "site's or a chosen contractor.",
    )
    send_reminders = fields.Boolean(
        string="Reminders",
        compute="_compute_send_reminders",
        store=True,
        readonly=False,
        precompute=True,
        help="The contractor is reminded while the order is not accepted. From the contractor.",
    )

    _name_unique = models.Constraint("UNIQUE(name, company_id)", "Work order numbers are unique.")

    @api.depends("equipment_id", "ticket_id")
    def _compute_site_id(self):
        for order in self:
            order.site_id = order.equipment_id.site_id or order.ticket_id.site_id

    @api.depends("contractor_id")
    def _compute_send_reminders(self):
        for order in self:
            order.send_reminders = order.contractor_id.klusheeren_send_reminders

    @api.depends("ticket_id")
    def _compute_company_id(self):
        for order in self:
            if order.ticket_id.company_id:
                order.company_id = order.ticket_id.company_id

    @api.depends("ticket_id")
    def _compute_user_id(self):
        """The back-office user who makes the order; for a fault reported through a sticker
        (no back-office author) the ticket's assignee, else its team's leader."""
        user = self.env.user
        author = user if user._is_internal() and not user._is_superuser() else self.env["res.users"]
        for order in self:
            if not order.user_id:
                order.user_id = author or order.ticket_id.user_id or order.ticket_id.team_id.user_id

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_lines(self):
        for order in self:
            order.amount_lines = sum(order.line_ids.mapped("price_subtotal"))

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        # without lines the typed lump sum stays
        for order in self:
            if order.line_ids:
                order.amount_total = sum(order.line_ids.mapped("price_subtotal"))

    def _late_limit(self):
        hours = read_setting(self.env, "klusheeren_helpdesk.reminder_delay_hours")
        return fields.Datetime.now() - timedelta(hours=hours)

    def _compute_is_late(self):
        limit = self._late_limit()
        for order in self:
            order.is_late = order.state == "sent" and order.date_sent and order.date_sent <= limit

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Late to accept'."))
        domain = [("state", "=", "sent"), ("date_sent", "<=", self._late_limit())]
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/work-orders/{order.id}"
        return res

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Work order %s", self.name)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            clean_header_fields(vals, HEADER_FIELDS)
            if vals.get("name", "/") == "/":
                company = vals.get("company_id")
                seq = self.env["ir.sequence"].sudo()  # sudo: the number is the system's (read-only)
                if company:
                    seq = seq.with_company(company)
                vals["name"] = seq.next_by_code("klusheeren.work.order") or "/"
        return super().create(vals_list)

    def write(self, vals):
        clean_header_fields(vals, HEADER_FIELDS)
        check_system_fields(self, vals, SYSTEM_FIELDS)
        if "contractor_id" in vals:
            # a new contractor: the previous one's link stops working (docs/SECURITY.md)
            moved = self.filtered(lambda o: o.contractor_id.id != vals["contractor_id"])
            moved._klusheeren_rotate_token()
        if set(vals) - LOCK_FREE_FIELDS and not self.env.su:
            locked = self.filtered(lambda o: o.state == "done")
            if locked and not self.env.user.has_group(MANAGER):
                raise UserError(
                    self.env._(
                        "Work order %(name)s is done and locked: only a manager can reopen it.",
                        name=locked[0].name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Who may call (before any sudo: the methods below are reachable over JSON-RPC)
    # ------------------------------------------------------------------
    def _klusheeren_check_back_office(self):
        """Back-office transitions: never a portal or public user, however they call."""
        if not self.env.su and not self.env.user.has_group(BACK_OFFICE):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))

    def _klusheeren_check_contractor_access(self):
        """The contractor's actions. They come from the work order page, whose controller
        checked the token or the login first (``_document_check_access``, which hands over a
        superuser record), or from the back office. A portal login calling the model directly
        (``/web/dataset/call_kw``) is refused: it would skip the page's own checks."""
        if self.env.su or self.env.user.has_group(BACK_OFFICE):
            self.check_access("read")
            return
        raise AccessError(self.env._("Use the work order page to change a work order."))

    def _get_thread_with_access(self, thread_id, *, hash=None, pid=None, token=None, **kwargs):
        """The contractor's token opens the work order page only: Odoo's generic chatter
        routes (``/mail/message/post``, ``/mail/attachment/upload``, ``/mail/thread/messages``)
        accept no token or signed link for a work order, only a user's own access rights."""
        return super()._get_thread_with_access(thread_id, **kwargs)

    def _description_text(self):
        return html2plaintext(self.description or "")
