from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, plaintext2html

from odoo.addons.klusheeren_equipment.tools.upload import check_attachments

from .cron_trigger import trigger_once
from .klusheeren_token_mixin import ensure_token

STAGE = "klusheeren_helpdesk.stage_%s"
SENDING_JOB = "klusheeren_helpdesk.ir_cron_work_order_send"
DESCRIPTION_MAX = 5000
NAME_MAX = 100
PHONE_MAX = 40


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # the reporter's link: internal users only (a customer-company login must not harvest it);
    # 256 bits, as the tokens of klusheeren.token.mixin
    access_token = fields.Char(groups="base.group_user")
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

    equipment_id = fields.Many2one(
        "maintenance.equipment", tracking=True, index="btree_not_null"
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Site",
        compute="_compute_from_equipment",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    exact_location = fields.Char(
        compute="_compute_from_equipment", store=True, readonly=False, precompute=True
    )
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

    klusheeren_reopen_count = fields.Integer(
        string="Reopened",
        readonly=True,
        copy=False,
        help="How often the ticket went back from resolved or closed to an open stage.",
    )

    def _portal_ensure_token(self):
        return ensure_token(self)

    def write(self, vals):
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            resolved = self.env.ref(STAGE % "resolved", raise_if_not_found=False)
            if not stage.closed and stage != resolved:
                for ticket in self.filtered(lambda t: t.stage_id.closed or t.stage_id == resolved):
                    # sudo: a counter, moved with the stage whoever may move it
                    ticket.sudo().klusheeren_reopen_count += 1
        return super().write(vals)

    def message_post(self, **kwargs):
        """helpdesk_mgmt lets anyone who reads a ticket post on it (``_mail_post_access``), so a
        portal login could call ``message_post`` over JSON-RPC with any author, recipients,
        subtype or attachments. Portal users write through the ticket page's chatter, which
        posts with the allowed parameters only (``/mail/message/post``, as superuser)."""
        if not self.env.su and self.env.user.share:
            raise AccessError(_("Write your message on the ticket page."))
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
        for vals in vals_list:
            if unassignable and "user_id" not in vals:
                vals["user_id"] = False
            if not vals.get("partner_id") and vals.get("partner_email"):
                partner = self._klusheeren_find_or_create_partner(
                    vals.get("partner_name"), vals["partner_email"], vals.get("partner_phone")
                )
                vals["partner_id"] = partner.id
            if not self.env.context.get("klusheeren_no_mail"):
                # the reporter's confirmation is rendered and queued by the sending job
                vals["klusheeren_ack_pending"] = True
        tickets = super().create(vals_list)
        if not self.env.context.get("klusheeren_no_auto_work_order"):
            tickets.filtered("equipment_id.contractor_id")._klusheeren_create_work_order(send=True)
        if any(tickets.mapped("klusheeren_ack_pending")):
            trigger_once(self.env, SENDING_JOB)
        return tickets

    @api.model
    def _klusheeren_send_acknowledgements(self, limit=50):
        """Queue the confirmation e-mail of new tickets to their reporters (sending job)."""
        tickets = self.sudo().search([("klusheeren_ack_pending", "=", True)], limit=limit, order="id")
        template = self.env.ref("klusheeren_helpdesk.mail_template_ticket_created")
        for ticket in tickets.filtered("partner_id.email"):
            template.send_mail(ticket.id, email_layout_xmlid="mail.mail_notification_light")
        tickets.klusheeren_ack_pending = False
        return tickets

    @api.model
    def _klusheeren_find_or_create_partner(self, name, email, phone=None):
        """The contact of an anonymous reporter, from what they typed (unverified).

        What was typed never selects a user's, a company's, a contractor's or any other known
        contact, and never changes one: typing someone's e-mail address must not bind the
        ticket, its chatter and its portal visibility to that person. A contact that an earlier
        report created (``klusheeren_reporter_contact``, no login) is reused, unchanged; else a
        new one is made. The phone of this report is kept on the ticket. docs/SECURITY.md.
        """
        normalized = email_normalize(email)
        if not normalized:
            raise UserError(_("Give a valid e-mail address."))
        # sudo: reporters have no access to contacts; the domain above is the whole check
        Partner = self.env["res.partner"].sudo()
        partner = Partner.search(
            [
                ("email_normalized", "=", normalized),
                ("klusheeren_reporter_contact", "=", True),
                ("user_ids", "=", False),
                ("is_company", "=", False),
                ("klusheeren_is_contractor", "=", False),
            ],
            order="id",
            limit=1,
        )
        if partner:
            return partner
        # a reporter's contact needs no chatter of its own: no creation message, no followers
        return Partner.with_context(tracking_disable=True).create(
            {
                "name": (name or "").strip()[:NAME_MAX] or normalized,
                "email": normalized,
                "phone": (phone or "").strip()[:PHONE_MAX] or False,
                "klusheeren_reporter_contact": True,
            }
        )

    @api.model
    def _klusheeren_create_report(
        self, equipment, description, name, email, phone=None, attachments=(), channel="qr"
    ):
        """A fault reported for ``equipment``: the ticket, its attachments and, when the
        equipment has a contractor, its work order, sent. The e-mails are queued; the work
        order PDF is rendered later by the sending cron, never inside this call.

        :param attachments: list of ``(filename, bytes, mimetype)``; judged by their bytes
            (the project's upload policy), whatever the caller declared
        :param channel: ``qr``, ``web``, ``email`` or ``phone``
        :raise UserError: input out of bounds; nothing is created then
        """
        description = (description or "").strip()
        if not description:
            raise UserError(_("Describe the fault."))
        if len(description) > DESCRIPTION_MAX:
            raise UserError(
                _("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX)
            )
        email = email_normalize(email or "")
        if not email:
            raise UserError(_("Give a valid e-mail address, so that we can keep you informed."))
        name = (name or "").strip()[:NAME_MAX]
        phone = (phone or "").strip()[:PHONE_MAX]
        attachments = check_attachments(attachments)
        # sudo: a reporter has no rights; the caller resolved ``equipment`` from a sticker token
        equipment = equipment.sudo()
        channel_ref = {
            "qr": "klusheeren_helpdesk.helpdesk_ticket_channel_qr",
            "web": "helpdesk_mgmt.helpdesk_ticket_channel_web",
            "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
            "phone": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        }[channel]
        first_line = description.strip().splitlines()[0] if description.strip() else ""
        title = _("%(equipment)s: %(summary)s", equipment=equipment.name, summary=first_line[:80])
        ticket = (
            self.sudo()
            .create(
                {
                    "name": title,
                    "description": plaintext2html(description),
                    "equipment_id": equipment.id,
                    "partner_name": name or False,
                    "partner_email": email,
                    "partner_phone": phone or False,
                    "channel_id": self.env.ref(channel_ref).id,
                    "team_id": self.env.ref("klusheeren_helpdesk.team_storingen").id,
                    "company_id": equipment.company_id.id or self.env.company.id,
                }
            )
        )
        ticket._klusheeren_attach(attachments)
        return ticket

    def _klusheeren_attach(self, attachments):
        """The reporter's files, checked by the upload policy, shared with the contractor."""
        self.ensure_one()
        attachments = check_attachments(attachments)
        if not attachments:
            return self.env["ir.attachment"]
        files = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": filename,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for filename, data, mimetype in attachments
                ]
            )
        )
        self.sudo().klusheeren_shared_attachment_ids = [(4, f.id) for f in files]
        return files

    def _klusheeren_create_work_order(self, send=False):
        """A work order per ticket for the contractor of its equipment; with ``send``, sent at
        once to the contractors with an e-mail address (the others stay drafts, with an
        activity for the back office: a report never fails on a contractor's missing address)."""
        WorkOrder = self.env["klusheeren.work.order"].sudo()
        vals_list = [
            {
                "ticket_id": ticket.id,
                "equipment_id": ticket.equipment_id.id,
                "contractor_id": ticket.equipment_id.contractor_id.id,
                "title": ticket.name,
                "description": ticket.description,
            }
            for ticket in self
        ]
        if not send:
            return WorkOrder.create(vals_list)
        reachable, unreachable = [], []
        for vals, ticket in zip(vals_list, self):
            (reachable if ticket.equipment_id.contractor_id.email else unreachable).append(vals)
        orders = WorkOrder._create_sent(reachable) if reachable else WorkOrder
        drafts = WorkOrder.create(unreachable) if unreachable else WorkOrder
        for order in drafts:
            team = order.ticket_id.team_id
            responsible = order.user_id or team.user_id or team.user_ids[:1]
            note = plaintext2html(
                _(
                    "Add an e-mail address to %(contractor)s and send the work order, or pass "
                    "it on by phone.",
                    contractor=order.contractor_id.name,
                )
            )
            if responsible:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Work order not sent: the contractor has no e-mail address"),
                    note=note,
                    user_id=responsible.id,
                )
            else:
                order._message_log(body=note)
        return orders | drafts

    def action_create_work_order(self):
        """Backend button: a work order from this ticket, title and description copied."""
        self.ensure_one()
        if not self.env.user.has_group("klusheeren_equipment.group_klusheeren_user"):
            raise AccessError(_("Only the KlusHeeren back office can do this."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.work.order",
            "view_mode": "form",
            "context": {
                "default_ticket_id": self.id,
                "default_equipment_id": self.equipment_id.id,
                "default_contractor_id": self.equipment_id.contractor_id.id,
                "default_title": self.name,
                "default_description": self.description,
            },
        }

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "klusheeren_helpdesk.action_work_order"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Stages driven by the work order and the reporter
    # ------------------------------------------------------------------
    def _klusheeren_set_stage(self, name):
        stage = self.env.ref(STAGE % name)
        self.sudo().filtered(lambda t: t.stage_id != stage).write({"stage_id": stage.id})

    def _message_post_after_hook(self, message, msg_vals):
        """A reporter's message on a resolved ticket reopens it."""
        res = super()._message_post_after_hook(message, msg_vals)
        resolved = self.env.ref(STAGE % "resolved", raise_if_not_found=False)
        if (
            resolved
            and self.stage_id == resolved
            and message.message_type in ("comment", "email")
            and message.author_id
            and message.author_id == self.partner_id
        ):
            self._klusheeren_set_stage("first_line")
            self.sudo().message_post(
                body=_("Reopened: the reporter answered on the resolved ticket."),
                subtype_xmlid="mail.mt_note",
            )
        return res

    @api.model
    def _cron_close_resolved(self):
        days = int(
            self.env["ir.config_parameter"].sudo().get_param(
                "klusheeren_helpdesk.autoclose_days", 7
            )
        )
        resolved = self.env.ref(STAGE % "resolved")
        tickets = self.search(
            [
                ("stage_id", "=", resolved.id),
                ("last_stage_update", "<=", fields.Datetime.now() - timedelta(days=days)),
            ]
        )
        tickets._klusheeren_set_stage("closed")
        return tickets

    # ------------------------------------------------------------------
    # Attachments given at creation (the reporter's photos)
    # ------------------------------------------------------------------
    def _klusheeren_photos(self):
        """The files shared with the contractor (see ``klusheeren_shared_attachment_ids``)."""
        # no sudo: callers are the sending job, the back office and token pages, which hand
        # over superuser records after their access check
        return self.klusheeren_shared_attachment_ids.sorted("id")
