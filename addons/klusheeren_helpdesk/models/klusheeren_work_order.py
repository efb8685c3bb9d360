import logging
import math
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round, html2plaintext, plaintext2html

from odoo.addons.klusheeren_base.tools.boundary import check_system_fields, clean_header_fields
from odoo.addons.klusheeren_base.tools.settings import read as read_setting
from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress, trigger_once
from odoo.addons.klusheeren_base.tools.upload import check_attachments

from .helpdesk_ticket import SENDING_JOB
from .ir_actions_report import PDF_CACHE

_logger = logging.getLogger(__name__)

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
                seq = self.env["ir.sequence"].sudo()
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

    # ------------------------------------------------------------------
    # Transitions (used by the backend buttons and the contractor page)
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        for order in self:
            if order.state not in allowed:
                raise UserError(
                    self.env._(
                        "Work order %(name)s cannot be %(action)s: it is %(state)s.",
                        name=order.name,
                        action=action,
                        state=dict(self._fields["state"]._description_selection(self.env))[order.state],
                    )
                )

    @api.model
    def _send_values(self):
        """What sending changes on a work order (also the values of one created as sent)."""
        return {
            "state": "sent",
            "date_sent": fields.Datetime.now(),
            "mail_pending": True,
            "reminder_count": 0,
            "reminder_escalated": False,
        }

    def action_send(self):
        """Send to the contractor. The e-mail with the PDF is composed by the sending job."""
        self._klusheeren_check_back_office()
        self._check_state(("draft", "sent"), self.env._("sent"))
        for order in self:
            if not order.contractor_id.email:
                raise UserError(self.env._("Contractor %(name)s has no e-mail address.", name=order.contractor_id.name))
        # no sudo: the caller is the back office (checked above) or the superuser
        self.write(self._send_values())
        for order in self:
            order._portal_ensure_token()
        self._after_send()
        return True

    @api.model
    def _create_sent(self, vals_list, notify_stage=False):
        """Work orders created as sent in one insert: no draft that is written to at once, no
        creation message next to the line saying it was sent. For a new ticket the reporter's
        confirmation says it all (``notify_stage=False``)."""
        for vals in vals_list:
            vals.update(self._send_values(), access_token=self._klusheeren_new_token())
        orders = self.sudo().with_context(mail_create_nolog=True).create(vals_list)
        orders._after_send(notify_stage=notify_stage)
        return orders

    def _after_send(self, notify_stage=True):
        for order in self:
            # a log line in the chatter; the e-mail itself follows from the sending job
            order._message_log(body=self.env._("Work order sent to %(name)s.", name=order.contractor_id.name))
        self.ticket_id._klusheeren_set_stage("waiting_external", notify=notify_stage)
        trigger_once(self.env, SENDING_JOB)

    def action_accept(self):
        """The contractor takes the job. Accepting twice changes and sends nothing."""
        self._klusheeren_check_contractor_access()
        todo = self.filtered(lambda o: o.state != "accepted")
        todo._check_state(("sent",), self.env._("accepted"))
        if not todo:
            return False
        todo.write({"state": "accepted", "date_accepted": fields.Datetime.now()})
        for order in todo:
            order._notify_reporter("klusheeren_helpdesk.mail_template_work_order_accepted")
            order._notify_responsible(self.env._("%(contractor)s accepted work order %(name)s."))
        return True

    def action_refuse(self, reason):
        self._klusheeren_check_contractor_access()
        reason = self._klusheeren_clean_text(reason)
        if not reason:
            raise UserError(self.env._("Give a reason for refusing the work order."))
        self._check_state(("sent",), self.env._("refused"))
        self.write({"state": "refused", "date_refused": fields.Datetime.now(), "refuse_reason": reason})
        for order in self:
            order._notify_responsible(
                self.env._("%(contractor)s refused work order %(name)s: %(reason)s"), reason=reason
            )
        self._klusheeren_back_to_team(self.env._("Refused by %(contractor)s: %(reason)s"), reason=reason)
        return True

    def _klusheeren_back_to_team(self, message, **kwargs):
        """The ticket of a refused order is the team's again: back to the first line (unless
        another order is still open), an activity for the responsible naming the next
        contractor the rules give; one click ("Send to next contractor") sends it."""
        for order in self.sudo():
            ticket = order.ticket_id
            order._klusheeren_ticket_to_first_line(notify=True)
            following = ticket._klusheeren_contractor(exclude=order._klusheeren_tried_contractors())
            summary = message % {"contractor": order.contractor_id.name, **kwargs}
            if following:
                note = self.env._(
                    'Send the work order to %(next)s with "Send to next contractor", or choose another contractor.',
                    next=following.name,
                )
            else:
                note = self.env._(
                    'No other contractor is known for this ticket: choose one with "Send to another contractor".'
                )
            responsible = order.user_id or ticket.user_id or ticket.team_id.user_id
            if responsible:
                # no second e-mail: the responsible has just been told of the refusal
                order.with_context(mail_activity_quick_update=True).activity_schedule(
                    REASSIGN_ACTIVITY,
                    summary=summary[:250],
                    note=plaintext2html(note),
                    user_id=responsible.id,
                )
            else:
                order._message_log(body=plaintext2html(f"{summary}\n{note}"))

    def _klusheeren_tried_contractors(self):
        """The contractors who refused this ticket's job or had it withdrawn, and this one."""
        self.ensure_one()
        gone = self.sudo().ticket_id.work_order_ids.filtered(lambda o: o.state in ("refused", "cancelled"))
        return gone.contractor_id | self.sudo().contractor_id

    def action_klusheeren_reassign(self, contractor=None):
        """One click: a new work order for another contractor, sent at once; ``contractor``
        None: the next one the rules give (``helpdesk.ticket._klusheeren_contractor``)."""
        self.ensure_one()
        self._klusheeren_check_back_office()
        self._check_state(("refused", "cancelled"), self.env._("passed on"))
        ticket = self.ticket_id
        rule = self.env["klusheeren.responsibility"]
        if contractor is None:
            contractor, rule = ticket._klusheeren_contractor_and_rule(exclude=self._klusheeren_tried_contractors())
            if not contractor:
                raise UserError(self.env._("No other contractor is known for this ticket: choose one."))
        elif not contractor.klusheeren_is_contractor:
            raise UserError(self.env._("%(name)s is not a maintenance contractor.", name=contractor.name))
        new = ticket._klusheeren_create_work_order(send=True, contractors={ticket.id: (contractor, rule)})
        self.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(REASSIGN_ACTIVITY)).action_feedback(
            feedback=self.env._("Passed on to %(contractor)s: %(name)s.", contractor=contractor.name, name=new.name)
        )
        self.message_post(
            body=self.env._("Passed on to %(contractor)s: %(name)s.", contractor=contractor.name, name=new.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_hold(self, reason):
        self._klusheeren_check_contractor_access()
        reason = self._klusheeren_clean_text(reason)
        if not reason:
            raise UserError(self.env._("Say which parts are on order."))
        self._check_state(("accepted",), self.env._("paused"))
        self.write({"state": "on_hold", "hold_reason": reason})
        for order in self:
            order._notify_responsible(
                self.env._("%(contractor)s paused work order %(name)s, parts on order: %(reason)s"),
                reason=reason,
            )
        return True

    def action_resume(self):
        self._klusheeren_check_contractor_access()
        self._check_state(("on_hold",), self.env._("resumed"))
        self.write({"state": "accepted"})
        for order in self:
            order._notify_responsible(self.env._("%(contractor)s resumed work order %(name)s."))
        return True

    def action_done(self):
        """Afmelden: the job is finished; the work order is locked from now on."""
        self._klusheeren_check_contractor_access()
        self._check_state(("accepted", "on_hold"), self.env._("completed"))
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        self.ticket_id._klusheeren_set_stage("resolved", notify=False)  # the order's own e-mail
        for order in self:
            order._notify_reporter("klusheeren_helpdesk.mail_template_work_order_done")
            order._notify_responsible(self.env._("%(contractor)s completed work order %(name)s."))
        return True

    def action_cancel(self):
        """Withdraw the order: the contractor is told when it had received it, the reporter
        always; the ticket is the team's again unless another order is open."""
        self._klusheeren_check_back_office()
        self._check_state(OPEN_STATES, self.env._("cancelled"))
        had_it = self.filtered(lambda o: o.state in ("sent", "accepted", "on_hold") and not o.mail_pending)
        self.write({"state": "cancelled", "mail_pending": False})
        # the contractor's link shows nothing of the job any more
        self._klusheeren_rotate_token()
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_cancelled")
        for order in self:
            if order in had_it and order.contractor_id.email:
                template.send_mail(order.id, email_layout_xmlid="mail.mail_notification_light")
            order._notify_reporter("klusheeren_helpdesk.mail_template_work_order_cancelled_reporter")
            # the reporter has just been told: no stage e-mail on top
            order._klusheeren_ticket_to_first_line(notify=False)
        return True

    def _klusheeren_ticket_to_first_line(self, notify):
        """The ticket of a refused or cancelled order is the team's again, unless another of
        its orders is still open."""
        self.ensure_one()
        ticket = self.sudo().ticket_id
        if not (ticket.work_order_ids - self).filtered(lambda o: o.state in OPEN_STATES):
            ticket._klusheeren_set_stage("first_line", notify=notify)

    def action_reopen(self, reason):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a KlusHeeren manager can reopen a completed work order."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason for reopening the work order."))
        self._check_state(("done",), self.env._("reopened"))
        self.write({"state": "accepted", "date_done": False})
        for order in self:
            order.message_post(
                body=self.env._("Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        return True

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
        units = self.env["uom.uom"].sudo()
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
            self._notify_reporter("klusheeren_helpdesk.mail_template_work_order_appointment")
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
        attachment_ids = []
        if attachments:
            attachment_ids = (
                self.env["ir.attachment"]
                .create(
                    [
                        {
                            "name": name,
                            "raw": data,
                            "mimetype": mimetype,
                            "res_model": self._name,
                            "res_id": self.id,
                        }
                        for name, data, mimetype in attachments
                    ]
                )
                .ids
            )
        return order.message_post(
            body=plaintext2html(body),
            author_id=order.contractor_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=order.user_id.partner_id.ids,
            attachment_ids=attachment_ids,
        )

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _notify_reporter(self, template_xmlid):
        self.ensure_one()
        if self.ticket_id.partner_id.email:
            self.env.ref(template_xmlid).send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")

    def _notify_responsible(self, message, **kwargs):
        """Post in the chatter and tell the responsible back-office user."""
        self.ensure_one()
        body = message % {"contractor": self.contractor_id.name, "name": self.name, **kwargs}
        self.message_post(
            body=Markup("<p>%s</p>") % body,
            subject=body,  # the e-mail's subject says what happened, not only the order's number
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )

    def _klusheeren_what_where(self):
        """What and where, for an e-mail's subject: the equipment (else the title) and the site,
        the site left out where the first part already names it ("Demo locatie 1", not
        "Demo locatie 1, Demo locatie 1")."""
        self.ensure_one()
        what = (self.equipment_id.name or self.title or "").strip().rstrip(".")
        where = (self.site_id.name or "").strip()
        if not where or where.casefold() in what.casefold():
            return what
        return f"{what}, {where}" if what else where

    def _contractor_attachments(self):
        """The reporter's photos and files, sent to the contractor with the work order."""
        return self.ticket_id._klusheeren_photos()

    def _klusheeren_job_responsible(self):
        """Told when a job gives up on the order: its responsible, else the ticket's assignee,
        else the team leader, else a team member (never the system user)."""
        team = self.ticket_id.team_id
        users = self.user_id | self.ticket_id.user_id | team.user_id | team.user_ids
        return users.filtered(lambda u: u.active and not u.share)[:1]

    @api.model
    def _cron_send_pending(self, limit=50):
        """The sending job of new reports: the reporters' confirmations of new tickets, then
        the queued work order e-mails (render the PDF, attach the photos). Both are rendered
        here rather than in the request that reports the fault; the mail queue sends them.
        One order that fails (template, PDF, a partner's removed language) is rolled back
        alone and retried later (klusheeren.job.mixin); the others go out. Inside the cron
        worker each order is committed, and the job runs again while more are waiting."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        Ticket._klusheeren_send_acknowledgements(limit)
        domain = [
            ("mail_pending", "=", True),
            ("state", "in", ("sent", "accepted", "on_hold", "done")),
            *self._klusheeren_job_domain(),
        ]
        orders = self.search(domain, limit=limit, order="klusheeren_job_failures, id")
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_contractor")
        orders._klusheeren_prerender_pdfs(template)
        sent = orders._klusheeren_job_run(
            lambda order: order._klusheeren_send_work_order_mail(template),
            self.env._("Sending the work order e-mail"),
            commit_each=True,
        )
        # what waits now (those waiting for a retry excepted): the cron worker runs the job again
        remaining = self.search_count(domain) + Ticket.search_count(Ticket._klusheeren_ack_domain())
        # (each confirmation, announcement and order reported itself as done)
        commit_progress(self.env, 0, remaining=remaining)
        return sent

    def _klusheeren_prerender_pdfs(self, template, batch=None):
        """Render the PDFs of the template's reports for these orders ahead, up to ``batch``
        orders of a language in one wkhtmltopdf run (one process start, one fetch of the
        report's styles instead of one per order); Odoo splits the result per order. The
        e-mails then use them (``ir.actions.report._render_qweb_pdf``). A batch that fails is
        left alone: its orders are rendered one by one as before, each in its own savepoint."""
        if batch is None:
            batch = read_setting(self.env, "klusheeren_helpdesk.pdf_batch")
        Report = self.env["ir.actions.report"]
        cache = self.env.cr.cache.setdefault(PDF_CACHE, {})
        langs = template._render_lang(self.ids)
        by_lang = {}
        for order_id in self.ids:
            by_lang.setdefault(langs.get(order_id) or self.env.lang, []).append(order_id)
        for report in template.report_template_ids.filtered(lambda r: r.report_type == "qweb-pdf"):
            for lang, ids in by_lang.items():
                for start in range(0, len(ids), batch):
                    chunk = ids[start : start + batch]
                    if len(chunk) < 2:
                        continue  # one order: rendered with its e-mail
                    try:
                        with self.env.cr.savepoint():
                            streams, kind = Report.with_context(lang=lang)._pre_render_qweb_pdf(report, chunk)
                    except Exception as error:
                        _logger.info("Work order PDFs %s rendered one by one: %s", chunk, error)
                        continue
                    if kind != "pdf":
                        continue  # (tests without force_report_rendering: HTML)
                    for res_id, stream in streams.items():
                        if res_id in chunk and stream.get("stream"):
                            cache[(report.id, res_id, lang)] = stream["stream"].getvalue()

    def _klusheeren_send_work_order_mail(self, template):
        self.ensure_one()
        template.send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"attachment_ids": [(4, a.id) for a in self._contractor_attachments()]},
        )
        self.sudo().mail_pending = False

    @api.model
    def _cron_remind(self, limit=200):
        """Reminders for work orders not accepted in time, then an activity for the responsible.
        In batches of ``limit`` (the cron worker runs the job again while more are due); one
        order whose reminder fails is retried later, the others are reminded."""
        delay = timedelta(hours=read_setting(self.env, "klusheeren_helpdesk.reminder_delay_hours"))
        maximum = read_setting(self.env, "klusheeren_helpdesk.reminder_max")
        now = fields.Datetime.now()
        due = now - delay
        domain = [
            ("state", "=", "sent"),
            ("reminder_escalated", "=", False),
            ("send_reminders", "=", True),  # seed 001: "should they receive reminders"
            "|",
            ("date_last_reminder", "<=", due),
            "&",
            ("date_last_reminder", "=", False),
            ("date_sent", "<=", due),
            *self._klusheeren_job_domain(),
        ]
        orders = self.search(domain, limit=limit, order="id")
        to_remind = orders.filtered(lambda o: o.reminder_count < maximum)
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_reminder")
        reminded = to_remind._klusheeren_job_run(
            lambda order: order._klusheeren_send_reminder(template),
            self.env._("Sending a reminder"),
        )
        for count, group in reminded.grouped("reminder_count").items():
            group.sudo().write({"reminder_count": count + 1, "date_last_reminder": now})
        escalated = (orders - to_remind)._klusheeren_job_run(
            lambda order: order._klusheeren_escalate_reminders(), self.env._("Escalating a work order")
        )
        escalated.sudo().write({"reminder_escalated": True})
        remaining = self.search_count(domain) if len(orders) == limit else 0
        commit_progress(self.env, len(orders), remaining=remaining)
        return reminded | escalated

    def _klusheeren_send_reminder(self, template):
        self.ensure_one()
        template.send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
        self.message_post(
            body=self.env._("Reminder %(n)s sent to the contractor.", n=self.reminder_count + 1),
            subtype_xmlid="mail.mt_note",
        )

    def _klusheeren_escalate_reminders(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Contractor has not accepted work order %s", self.name),
            note=self.env._(
                "%(contractor)s did not accept the work order after %(n)s reminders.",
                contractor=self.contractor_id.name,
                n=self.reminder_count,
            ),
            user_id=self._klusheeren_job_responsible().id,  # none: an unassigned activity
        )

    def _description_text(self):
        return html2plaintext(self.description or "")
