from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import default_token, ensure_token
from odoo.addons.klusheeren_base.tools.boundary import check_system_fields, clean_header_fields
from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress, trigger_once
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

SENDING_JOB = "klusheeren_helpdesk.ir_cron_work_order_send"
STAGE = "klusheeren_helpdesk.stage_%s"
BACK_OFFICE = "klusheeren_base.group_klusheeren_user"
# what reaches e-mail headers (subject, recipient names and addresses): stored on one line
HEADER_FIELDS = ("name", "partner_name", "partner_email", "partner_phone")
# written by the system only (number: helpdesk_mgmt's sequence; the reporter's link)
SYSTEM_FIELDS = ("number", "access_token")


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    # portal.mixin comes from helpdesk_mgmt first: the token door, not klusheeren.token.mixin
    _inherit = ["helpdesk.ticket", "klusheeren.token.door", "klusheeren.job.mixin"]
    _klusheeren_job_cron = SENDING_JOB

    # the reporter's link: internal users only (a customer-company login must not harvest it);
    # 256 bits, as the tokens of klusheeren.token.mixin; made with the ticket, never by a job
    access_token = fields.Char(groups="base.group_user", default=default_token, copy=False)
    klusheeren_shared_attachment_ids = fields.Many2many(
        "ir.attachment",
        "klusheeren_ticket_shared_attachment_rel",
        "ticket_id",
        "attachment_id",
        string="Files for the contractor",
        domain="[('res_model', '=', 'helpdesk.ticket'), ('res_id', '=', id)]",
        copy=False,
        help="The files the contractor receives with the work order and sees on its page: the "
        "reporter's photos from the report form, and what the back office shares here. Files "
        "posted in the chatter or uploaded another way are never shared by themselves.",
    )

    equipment_id = fields.Many2one("maintenance.equipment", tracking=True, index="btree_not_null")
    site_id = fields.Many2one(
        "res.partner",
        compute="_compute_from_equipment",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    exact_location = fields.Char(compute="_compute_from_equipment", store=True, readonly=False, precompute=True)
    partner_phone = fields.Char(string="Phone")
    work_order_ids = fields.One2many("klusheeren.work.order", "ticket_id")
    work_order_count = fields.Integer(compute="_compute_work_order_count")
    appointment_date = fields.Datetime(
        compute="_compute_appointment_date",
        help="Appointment of the contractor, from the open work order.",
    )
    klusheeren_ack_pending = fields.Boolean(
        string="Confirmation to send",
        copy=False,
        index="btree_not_null",
        help="The reporter's confirmation e-mail waits for the sending job, which renders it "
        "outside the request that created the ticket.",
    )

    responsibility_id = fields.Many2one(
        "klusheeren.responsibility",
        string="Routed by",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        groups="base.group_user",
        help="The responsibility rule that gave this ticket its team, responsible and contractor. "
        'Empty: no rule matched (filter "Not routed"); the team leader has an activity.',
    )
    klusheeren_private = fields.Boolean(
        string="Only for the reporter",
        copy=False,
        help='Requested from the company portal as "only me": the reporter\'s colleagues do not see it in the portal.',
    )
    klusheeren_return_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="Back to stage",
        copy=False,
        readonly=True,
        help="Where the ticket goes back to once the customer answers, while it waits on them.",
    )
    klusheeren_announce_pending = fields.Boolean(
        string="Announcement to send",
        copy=False,
        index="btree_not_null",
        help="The responsible (else the team) is told of the new ticket by the sending job.",
    )
    klusheeren_reopen_count = fields.Integer(
        string="Reopened",
        readonly=True,
        copy=False,
        help="How often the ticket went back from resolved or closed to an open stage.",
    )

    def _portal_ensure_token(self):
        return ensure_token(self)

    def message_post(self, **kwargs):
        """helpdesk_mgmt lets anyone who reads a ticket post on it (``_mail_post_access``), so a
        portal login could call ``message_post`` over JSON-RPC with any author, recipients,
        subtype or attachments. Portal users write through the ticket page's chatter, which
        posts with the allowed parameters only (``/mail/message/post``, as superuser)."""
        if not self.env.su and self.env.user.share:
            raise AccessError(self.env._("Write your message on the ticket page."))
        return super().message_post(**kwargs)

    def _get_thread_with_access(self, thread_id, *, token=None, **kwargs):
        """Odoo's generic chatter routes with the reporter's token. portal compares the token
        with the ticket's even when the ticket has none yet, and fails with a server error on
        ``consteq(str, False)``: such a token opens nothing here."""
        if token is not None:
            try:
                # sudo: reads only whether the ticket has a token; the check itself stays core's
                has_token = bool(self.sudo().browse(int(thread_id)).exists().access_token)
            except (TypeError, ValueError):
                has_token = False
            if not isinstance(token, str) or not has_token:
                token = None
        return super()._get_thread_with_access(thread_id, token=token, **kwargs)

    @api.depends("equipment_id")
    def _compute_from_equipment(self):
        for ticket in self:
            if ticket.equipment_id:
                ticket.site_id = ticket.equipment_id.site_id
                ticket.exact_location = ticket.equipment_id.exact_location

    @api.depends("work_order_ids")
    def _compute_work_order_count(self):
        data = self.env["klusheeren.work.order"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in data}
        for ticket in self:
            ticket.work_order_count = counts.get(ticket.id, 0)

    @api.depends("work_order_ids.appointment_date", "work_order_ids.state")
    def _compute_appointment_date(self):
        for ticket in self:
            open_orders = ticket.work_order_ids.filtered(
                lambda w: w.state in ("accepted", "on_hold", "done") and w.appointment_date
            )
            ticket.appointment_date = open_orders[:1].appointment_date

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # helpdesk_mgmt assigns a new ticket to its creator ("Auto assign tickets"): never to
        # the public user of a sticker, a portal user or OdooBot of the mail gateway
        unassignable = self.env.user.share or self.env.user._is_superuser()
        routing = not self.env.context.get("klusheeren_no_routing")
        for vals in vals_list:
            clean_header_fields(vals, HEADER_FIELDS)
            check_system_fields(self, {k: v for k, v in vals.items() if v}, SYSTEM_FIELDS)
            if unassignable and "user_id" not in vals:
                vals["user_id"] = False
            if not vals.get("partner_id") and vals.get("partner_email"):
                partner = self._klusheeren_find_or_create_partner(
                    vals.get("partner_name"), vals["partner_email"], vals.get("partner_phone")
                )
                vals["partner_id"] = partner.id
            if routing:
                self._klusheeren_route_vals(vals)
            if not self.env.context.get("klusheeren_no_mail"):
                # the reporter's confirmation is rendered and queued by the sending job, as the
                # back office's announcement of the new ticket
                vals["klusheeren_ack_pending"] = True
                vals["klusheeren_announce_pending"] = True
        # the responsible is told by the sending job, not by an assignment e-mail rendered here
        tickets = super(HelpdeskTicket, self.with_context(mail_auto_subscribe_no_notify=True)).create(vals_list)
        tickets = tickets.with_env(self.env)
        if routing and not self.env.context.get("klusheeren_no_mail"):
            # (a bulk import pings nobody; its tickets are listed by the filter "Not routed")
            tickets._klusheeren_unrouted_activity()
        if not self.env.context.get("klusheeren_no_auto_work_order"):
            tickets.filtered(lambda t: t.equipment_id or t.site_id)._klusheeren_create_work_order(send=True)
        if any(tickets.mapped("klusheeren_ack_pending")):
            trigger_once(self.env, SENDING_JOB)
        return tickets

    def write(self, vals):
        """A move to a customer-facing stage e-mails the reporter the stage's explanation."""
        clean_header_fields(vals, HEADER_FIELDS)
        check_system_fields(self, vals, SYSTEM_FIELDS)
        if "stage_id" not in vals:
            return super().write(vals)
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        moved = self.filtered(lambda t: t.stage_id != stage)
        # sudo: the system's own fields of the move (the reopened counter for the statistics,
        # the stage to return to), written with the stage by whoever may move it
        moved_sudo = moved.sudo()
        resolved = self.env.ref(STAGE % "resolved", raise_if_not_found=False)
        if stage and not stage.closed and stage != resolved:
            for ticket in moved_sudo.filtered(lambda t: t.stage_id.closed or t.stage_id == resolved):
                ticket.klusheeren_reopen_count += 1
        waiting = self.env.ref(STAGE % "waiting_customer", raise_if_not_found=False)
        if waiting and stage == waiting:
            for ticket in moved_sudo:
                ticket.klusheeren_return_stage_id = ticket.stage_id
        res = super().write(vals)
        if stage and moved and not self.env.context.get("klusheeren_no_stage_mail"):
            moved._klusheeren_notify_stage()
        return res

    def _track_template(self, tracking):
        """helpdesk_mgmt sends a stage's template through tracking; here ``write`` does (in the
        reporter's language, never on internal stages, not twice)."""
        res = super()._track_template(tracking)
        res.pop("stage_id", None)
        return res

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """A new ticket's followers: the responsible (Odoo's own rule), else the team's members,
        and the reporter, who gets the back office's replies (comments only)."""
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        if not updated_values.get("user_id") and updated_values.get("team_id"):
            # sudo: the team's members are read to follow the new ticket (made by a reporter too)
            team = self.env["helpdesk.ticket.team"].sudo().browse(updated_values["team_id"])
            for user in team.user_ids or team.user_id:
                res.append((user.partner_id.id, default_subtype_ids, False))
        if updated_values.get("partner_id"):
            comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            res.append((updated_values["partner_id"], [comment], False))
        return res

    # ------------------------------------------------------------------
    # Stages driven by the work order and the reporter
    # ------------------------------------------------------------------
    def _klusheeren_set_stage(self, name, notify=True):
        """Move to a stage of this addon; ``notify=False`` when the caller tells the reporter
        itself (the work order's own e-mails) or the reporter caused the move."""
        stage = self.env.ref(STAGE % name)
        # sudo: the system moves the ticket with its work order or its reporter's answer; the
        # callers are the checked transitions of the work order and the ticket's own hooks
        self.sudo().filtered(lambda t: t.stage_id != stage).with_context(klusheeren_no_stage_mail=not notify).write(
            {"stage_id": stage.id}
        )

    def _message_post_after_hook(self, message, msg_vals):
        """The reporter's or the customer's answer: a resolved ticket reopens, a ticket waiting
        on the customer goes back to the stage it came from; the responsible is told."""
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type not in ("comment", "email") or len(self) != 1:
            return res
        resolved = self.env.ref(STAGE % "resolved", raise_if_not_found=False)
        waiting = self.env.ref(STAGE % "waiting_customer", raise_if_not_found=False)
        if resolved and self.stage_id == resolved and message.author_id and message.author_id == self.partner_id:
            self._klusheeren_set_stage("first_line", notify=False)
            self._klusheeren_tell_responsible(
                lambda ticket: ticket.env._(
                    "Reopened: the reporter answered on the resolved ticket %(number)s.", number=ticket.number
                )
            )
        elif waiting and self.stage_id == waiting and self._klusheeren_is_customer_author(message.author_id):
            # sudo: the customer's answer (checked on the line above) moves the ticket back
            ticket = self.sudo()
            back = ticket.klusheeren_return_stage_id or self.env.ref(STAGE % "first_line")
            ticket.with_context(klusheeren_no_stage_mail=True).write(
                {"stage_id": back.id, "klusheeren_return_stage_id": False}
            )
            author = message.author_id.sudo().name  # sudo: the name only, for the responsible's note
            self._klusheeren_tell_responsible(
                lambda ticket: ticket.env._(
                    "%(author)s answered on %(number)s: back to %(stage)s.",
                    author=author,
                    number=ticket.number,
                    stage=back.with_env(ticket.env).name,
                )
            )
        return res

    @api.model
    def _cron_close_resolved(self, limit=500):
        """Close the tickets resolved for ``klusheeren_helpdesk.autoclose_days`` (7) days, in
        batches of ``limit``. A ticket that cannot be closed is retried later, the others are."""
        days = read_setting(self.env, "klusheeren_helpdesk.autoclose_days")
        domain = [
            ("stage_id", "=", self.env.ref(STAGE % "resolved").id),
            ("last_stage_update", "<=", fields.Datetime.now() - timedelta(days=days)),
            *self._klusheeren_job_domain(),
        ]
        tickets = self.search(domain, limit=limit, order="id")
        try:
            with self.env.cr.savepoint():
                tickets._klusheeren_set_stage("closed")
            closed = tickets
        except Exception:
            closed = tickets._klusheeren_job_run(
                lambda ticket: ticket._klusheeren_set_stage("closed"),
                self.env._("Closing the resolved ticket"),
            )
        remaining = self.search_count(domain) if len(tickets) == limit else 0
        commit_progress(self.env, len(tickets), remaining=remaining)
        return closed
