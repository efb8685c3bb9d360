import re
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, html2plaintext, plaintext2html

from odoo.addons.klusheeren_base.tools.boundary import (
    EMAIL_MAX,
    check_system_fields,
    checked_email,
    clean_header_fields,
    one_line,
)
from odoo.addons.klusheeren_base.tools.settings import read as read_setting
from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import default_token, ensure_token
from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress, trigger_once
from odoo.addons.klusheeren_base.tools.upload import check_attachments


SENDING_JOB = "klusheeren_helpdesk.ir_cron_work_order_send"
STAGE = "klusheeren_helpdesk.stage_%s"
BACK_OFFICE = "klusheeren_base.group_klusheeren_user"
# the stage mail every customer-facing stage sends unless it names its own template
STAGE_TEMPLATE = "klusheeren_helpdesk.mail_template_ticket_stage"
ROUTE_ACTIVITY = "klusheeren_helpdesk.mail_activity_type_route"
DESCRIPTION_MAX = 5000
NAME_MAX = 100
PHONE_MAX = 40
PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]{2,40}$")
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
            tickets.filtered(lambda t: not t.sudo().responsibility_id)._klusheeren_unrouted_activity()
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
        resolved = self.env.ref(STAGE % "resolved", raise_if_not_found=False)
        if stage and not stage.closed and stage != resolved:
            for ticket in moved.filtered(lambda t: t.stage_id.closed or t.stage_id == resolved):
                # sudo: a counter (statistics: reopened), moved with the stage whoever may move it
                ticket.sudo().klusheeren_reopen_count += 1
        waiting = self.env.ref(STAGE % "waiting_customer", raise_if_not_found=False)
        if waiting and stage == waiting:
            for ticket in moved:
                # sudo: a technical field, written with the stage by whoever may move it
                ticket.sudo().klusheeren_return_stage_id = ticket.stage_id
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
            team = self.env["helpdesk.ticket.team"].sudo().browse(updated_values["team_id"])
            for user in team.user_ids or team.user_id:
                res.append((user.partner_id.id, default_subtype_ids, False))
        if updated_values.get("partner_id"):
            comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            res.append((updated_values["partner_id"], [comment], False))
        return res

    # ------------------------------------------------------------------
    # Routing by responsibility rules (klusheeren.responsibility)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_routing_key_of(self, equipment, site, partner, channel, category, company):
        """What the rules look at, from a ticket's values (records, possibly empty)."""
        site = site or equipment.site_id
        # the customer company: the one above the site (a site is often a company itself,
        # under its customer), else the reporter's
        if site:
            customer = site.commercial_partner_id | site.parent_id.commercial_partner_id
        else:
            customer = partner.commercial_partner_id
        return {
            "company": company,
            "partner": customer,
            "site": site,
            "equipment_category": equipment.category_id,
            "channel": channel,
            "ticket_category": category,
        }

    def _klusheeren_routing_key(self):
        self.ensure_one()
        # sudo: the key is read for reporters and portal users too; nothing of it is shown
        ticket = self.sudo()
        return self._klusheeren_routing_key_of(
            ticket.equipment_id,
            ticket.site_id,
            ticket.partner_id,
            ticket.channel_id,
            ticket.category_id,
            ticket.company_id,
        )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from the team's mail alias: channel "E-mail" before it is routed (helpdesk_mgmt
        sets it only for mail fetched by its cron, after the routing would have looked)."""
        custom_values = dict(custom_values or {})
        if not custom_values.get("channel_id"):
            channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False)
            if channel:
                custom_values["channel_id"] = channel.id
        return super().message_new(msg_dict, custom_values=custom_values)

    @api.model
    def _klusheeren_route_vals(self, vals):
        """Route a new ticket before it is inserted: the rule, its team and its responsible are
        written into ``vals`` (no write after the insert, no tracking of a change). A constant
        number of SQL queries, whatever the number of rules."""
        # sudo: routing runs for reporters and portal users; they read nothing of it
        env = self.sudo().env
        equipment = env["maintenance.equipment"].browse(vals.get("equipment_id") or [])
        key = self._klusheeren_routing_key_of(
            equipment,
            env["res.partner"].browse(vals.get("site_id") or []),
            env["res.partner"].browse(vals.get("partner_id") or []),
            env["helpdesk.ticket.channel"].browse(vals.get("channel_id") or []),
            env["helpdesk.ticket.category"].browse(vals.get("category_id") or []),
            env["res.company"].browse(vals.get("company_id") or equipment.company_id.id or self.env.company.id),
        )
        routed = env["klusheeren.responsibility"]._klusheeren_match(key)._klusheeren_result()
        if vals.get("user_id"):
            routed.pop("user_id", None)  # a person chose the assignee
        vals.update(routed)
        return vals

    def _klusheeren_unrouted_activity(self):
        """No rule matched: the team leader routes the ticket by hand (filter "Not routed")."""
        route = self.env.ref(ROUTE_ACTIVITY)
        for ticket in self.sudo().filtered(lambda t: route not in t.activity_ids.activity_type_id):
            leader = ticket.team_id.user_id or ticket.team_id.user_ids[:1]
            note = self.env._(
                "No responsibility rule matches this ticket: choose its team and responsible, "
                'or add a rule and press "Route again".'
            )
            if leader:
                # no e-mail rendered here: the sending job announces the ticket
                ticket.with_context(mail_activity_quick_update=True).activity_schedule(
                    ROUTE_ACTIVITY,
                    summary=self.env._("Route this ticket"),
                    note=plaintext2html(note),
                    user_id=leader.id,
                )
            else:
                ticket._message_log(body=plaintext2html(note))

    def action_klusheeren_route(self):
        """The "Route again" button: the rules decide team, responsible and rule anew."""
        if not self.env.user.has_group(BACK_OFFICE):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))
        Rule = self.env["klusheeren.responsibility"]
        for ticket in self:
            rules = Rule._klusheeren_match(ticket._klusheeren_routing_key())
            vals = rules._klusheeren_result()
            team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id"))
            if team and "user_id" not in vals and ticket.user_id not in team.user_ids:
                vals["user_id"] = False
            ticket.write(vals)
            if not rules:
                ticket._klusheeren_unrouted_activity()
                continue
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(ROUTE_ACTIVITY)).action_feedback(
                feedback=self.env._("Routed by rule %(rule)s.", rule=rules[0].name)
            )
            if vals.get("user_id"):
                ticket.message_subscribe(partner_ids=ticket.user_id.partner_id.ids)
        return True

    def _klusheeren_contractor(self, exclude=None):
        """The contractor of this ticket's work orders: the one the most specific matching rule
        with a contractor gives, else the fallback of today (the equipment's contractor, which
        comes from its category, else its site; without equipment, the site's default).

        :param exclude: contractors not to give (e.g. those who refused the job already)
        :return: a ``res.partner`` (sudo), possibly empty
        """
        return self._klusheeren_contractor_and_rule(exclude)[0]

    def _klusheeren_contractor_and_rule(self, exclude=None):
        """``_klusheeren_contractor`` and the rule that gave it (empty for the fallback)."""
        self.ensure_one()
        ticket = self.sudo()
        Rule = self.env["klusheeren.responsibility"].sudo()
        exclude_ids = list(exclude.ids) if exclude else []
        routed = ticket.responsibility_id
        if routed.contractor_id and routed.contractor_id.id not in exclude_ids:
            return routed.contractor_id, routed
        extra = [("contractor_id", "!=", False)]
        if exclude_ids:
            extra.append(("contractor_id", "not in", exclude_ids))
        rules = Rule._klusheeren_match(ticket._klusheeren_routing_key(), extra)
        if rules:
            return rules[0].contractor_id, rules[0]
        fallback = ticket.equipment_id.contractor_id or ticket.site_id.klusheeren_contractor_id
        if fallback.id in exclude_ids:
            fallback = fallback.browse()
        return fallback, Rule

    # ------------------------------------------------------------------
    # Nobody misses a request
    # ------------------------------------------------------------------
    def _klusheeren_responsible_partners(self):
        """Who is told for the back office: the responsible, else the team's members, else its
        leader."""
        self.ensure_one()
        ticket = self.sudo()
        users = ticket.user_id or ticket.team_id.user_ids or ticket.team_id.user_id
        return users.filtered("active").partner_id

    def _klusheeren_tell_responsible(self, compose):
        """A note in the chatter that e-mails the responsible (else the team), with the link,
        in each recipient's language: ``compose(ticket)`` gives the text, called with the
        ticket in that language."""
        for ticket in self.sudo():
            partners = ticket._klusheeren_responsible_partners()
            by_lang = {}
            for partner in partners:
                by_lang[partner.lang or "en_US"] = by_lang.get(partner.lang or "en_US", partner.browse()) | partner
            link = f"{ticket.get_base_url()}/odoo/helpdesk.ticket/{ticket.id}"
            for lang, recipients in (by_lang or {ticket.env.lang: partners}).items():
                localized = ticket.with_context(lang=lang)
                text = compose(localized)
                localized.message_post(
                    body=Markup("<p>%s</p><p><a href='%s'>%s</a></p>") % (text, link, ticket.display_name),
                    subject=text,  # the e-mail's subject says what happened
                    subtype_xmlid="mail.mt_note",
                    partner_ids=recipients.ids,
                )

    @api.model
    def _klusheeren_announce(self, limit=50):
        """Tell the responsible (else the team) of new tickets (sending job): from a sticker,
        the mail alias, the portal or the phone alike. Each ticket in its own transaction,
        locked first: never a collision with a request writing it (klusheeren.job.mixin)."""
        domain = [("klusheeren_announce_pending", "=", True), *self._klusheeren_job_domain()]
        tickets = self.sudo().search(domain, limit=limit, order="id")
        return tickets._klusheeren_job_run(
            lambda ticket: ticket._klusheeren_announce_one(),
            self.env._("Announcing the new ticket"),
            commit_each=True,
        )

    def _klusheeren_announce_one(self):
        if self.klusheeren_announce_pending:  # (read again under the lock)
            self._klusheeren_tell_responsible(lambda ticket: ticket._klusheeren_announcement())
            self.klusheeren_announce_pending = False

    def _klusheeren_announcement(self):
        """What the back office reads of a new ticket (in the language of ``self.env``)."""
        reporter = self.partner_id.name or self.partner_email or self.env._("someone")
        where = self.site_id.name or self.commercial_partner_id.name
        channel = self.channel_id.name or "-"
        if where:
            return self.env._(
                "New request %(number)s from %(reporter)s (%(channel)s) at %(site)s: %(title)s",
                number=self.number,
                reporter=reporter,
                site=where,
                title=self.name,
                channel=channel,
            )
        return self.env._(
            "New request %(number)s from %(reporter)s (%(channel)s): %(title)s",
            number=self.number,
            reporter=reporter,
            title=self.name,
            channel=channel,
        )

    def _klusheeren_is_customer_author(self, author):
        """The reporter, or someone of the customer company (not the back office)."""
        self.ensure_one()
        if not author:
            return False
        if author == self.partner_id:
            return True
        # sudo: users and commercial partners of the author are read for the check only
        author = author.sudo()
        if any(not user.share for user in author.user_ids):
            return False
        companies = self.sudo().commercial_partner_id | self.sudo().site_id.commercial_partner_id
        return bool(author.commercial_partner_id and author.commercial_partner_id in companies)

    def _klusheeren_notify_stage(self):
        """E-mail the reporter the explanation of a customer-facing stage, in their language."""
        for ticket in self.sudo():
            stage = ticket.stage_id
            if stage.klusheeren_internal or not ticket.partner_id.email:
                continue
            template = stage.mail_template_id or self.env.ref(STAGE_TEMPLATE, raise_if_not_found=False)
            if template:
                template.send_mail(ticket.id, email_layout_xmlid="mail.mail_notification_light")

    @api.model
    def _klusheeren_ack_domain(self):
        return [("klusheeren_ack_pending", "=", True), *self._klusheeren_job_domain()]

    @api.model
    def _klusheeren_send_acknowledgements(self, limit=50):
        """Queue the confirmation e-mail of new tickets to their reporters (sending job). One
        ticket whose e-mail fails is retried later (klusheeren.job.mixin); the others go out.
        Each ticket in its own transaction, locked first: the job never collides with the
        request that writes the ticket at the same moment (its token was made with it)."""
        tickets = self.sudo().search(self._klusheeren_ack_domain(), limit=limit, order="id")
        template = self.env.ref("klusheeren_helpdesk.mail_template_ticket_created")
        done = tickets._klusheeren_job_run(
            lambda ticket: ticket._klusheeren_acknowledge(template),
            self.env._("Sending the reporter's confirmation"),
            commit_each=True,
        )
        announced = self._klusheeren_announce(limit)
        # the caller wakes the job again when a full batch was done
        return done if len(done) >= len(announced) else announced

    def _klusheeren_acknowledge(self, template):
        if not self.klusheeren_ack_pending:  # (read again under the lock) sent by another run
            return
        if self.partner_id.email:
            template.send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
        self.klusheeren_ack_pending = False

    def _klusheeren_job_responsible(self):
        """Told when a job gives up on the ticket: its assignee, else the team leader, else a
        team member (never the system user)."""
        users = self.user_id | self.team_id.user_id | self.team_id.user_ids
        return users.filtered(lambda u: u.active and not u.share)[:1]

    @api.model
    def _klusheeren_find_or_create_partner(self, name, email, phone=None):
        """The contact of an anonymous reporter, from what they typed (unverified).

        What was typed never selects a user's, a company's, a contractor's or any other known
        contact, and never changes one: typing someone's e-mail address must not bind the
        ticket, its chatter and its portal visibility to that person. A contact that an earlier
        report created (``klusheeren_reporter_contact``, no login) is reused, unchanged; else a
        new one is made. The phone of this report is kept on the ticket. docs/SECURITY.md.
        """
        normalized = email_normalize(email or "")
        if not normalized or len(normalized) > EMAIL_MAX:
            raise UserError(self.env._("Give a valid e-mail address."))
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
    def _klusheeren_create_report(self, equipment, description, name, email, phone=None, attachments=(), channel="qr"):
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
            raise UserError(self.env._("Describe the fault."))
        if len(description) > DESCRIPTION_MAX:
            raise UserError(self.env._("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX))
        email = checked_email(self.env, email)
        name = one_line(name or "")
        phone = one_line(phone or "")
        if not isinstance(name, str) or len(name) > NAME_MAX:
            raise UserError(self.env._("Keep your name under %(n)s characters.", n=NAME_MAX))
        if not isinstance(phone, str) or len(phone) > PHONE_MAX or (phone and not PHONE_CHARS.match(phone)):
            raise UserError(self.env._("Give a phone number of digits (at most %(n)s characters).", n=PHONE_MAX))
        attachments = check_attachments(self.env, attachments)
        # sudo: a reporter has no rights; the caller resolved ``equipment`` from a sticker token
        equipment = equipment.sudo()
        channel_ref = {
            "qr": "klusheeren_helpdesk.helpdesk_ticket_channel_qr",
            "web": "helpdesk_mgmt.helpdesk_ticket_channel_web",
            "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
            "phone": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        }[channel]
        first_line = description.strip().splitlines()[0] if description.strip() else ""
        title = self.env._("%(equipment)s: %(summary)s", equipment=equipment.name, summary=first_line[:80])
        ticket = self.sudo().create(
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
        ticket._klusheeren_attach(attachments)
        return ticket

    @api.model
    def _klusheeren_portal_sites(self):
        """The sites a logged-in customer user may ask for: the locations of their company
        (its contacts of type "other" and the sites of its equipment). Read as superuser for
        the current user's own company only."""
        user = self.env.user
        if user._is_public():
            return self.env["res.partner"]
        company = user.commercial_partner_id
        # sudo: portal users read neither equipment nor their company's other contacts; the
        # domains below keep to the user's own commercial partner
        equipment_sites = self.env["maintenance.equipment"].sudo()._search([("site_id", "child_of", company.id)])
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("id", "child_of", company.id),
                    "|",
                    ("type", "=", "other"),
                    ("id", "in", equipment_sites.subselect("site_id")),
                ],
                order="name",
            )
        )

    @api.model
    def _klusheeren_portal_equipment(self, sites):
        """The equipment at ``sites`` (from ``_klusheeren_portal_sites``), as superuser."""
        return self.env["maintenance.equipment"].sudo().search([("site_id", "in", sites.ids)], order="name")

    @api.model
    def _klusheeren_create_request(self, vals, site_id=None, equipment_id=None, private=False, attachments=()):
        """A request from the company portal (seed 003): ``vals`` as helpdesk_mgmt prepares them
        for the current user, one of their sites, optionally its equipment, files checked by the
        upload policy, shared with the company or only the user. Everything is checked here,
        for the current user, before the ticket is created as superuser.

        :raise UserError: input out of bounds; nothing is created then
        """
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Log in to make a request."))
        subject = (vals.get("name") or "").strip()
        description = html2plaintext(vals.get("description") or "").strip()
        if not subject or len(subject) > 200:
            raise UserError(self.env._("Give a subject (at most 200 characters)."))
        if not description or len(description) > 20000:
            raise UserError(self.env._("Describe the request (at most 20,000 characters)."))
        attachments = check_attachments(self.env, attachments)
        sites = self._klusheeren_portal_sites()
        site = sites.browse()
        if site_id:
            site = sites.filtered(lambda s: s.id == site_id)
            if not site:
                raise UserError(self.env._("Choose one of your sites."))
        elif sites:
            raise UserError(self.env._("Choose the site of the request."))
        equipment = self.env["maintenance.equipment"].sudo()
        if equipment_id:
            equipment = self._klusheeren_portal_equipment(site).filtered(lambda e: e.id == equipment_id)
            if not equipment:
                raise UserError(self.env._("Choose equipment at the chosen site, or none."))
        category = self.env["helpdesk.ticket.category"].sudo().browse(vals.get("category_id") or [])
        if category and not (category.exists() and category.active and category.show_in_portal):
            raise UserError(self.env._("Choose from the list."))
        partner = user.partner_id
        values = {
            **vals,
            "name": subject,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "site_id": site.id or False,
            "equipment_id": equipment.id or False,
            "klusheeren_private": bool(private),
            "user_id": False,
        }
        values.pop("attachment_ids", None)
        if not values.get("team_id"):
            # the rules may route it elsewhere; the team's first stage follows from the team
            values["team_id"] = self.env.ref("klusheeren_helpdesk.team_storingen").id
            values.pop("stage_id", None)
        # sudo: as helpdesk_mgmt, a portal user creates the ticket of its own contact; every
        # value was checked above for this user
        ticket = self.sudo().create(values)
        ticket.message_subscribe(partner_ids=partner.ids)
        ticket._klusheeren_attach(attachments)
        return ticket

    def _klusheeren_attach(self, attachments):
        """The reporter's files, checked by the upload policy, shared with the contractor."""
        self.ensure_one()
        attachments = check_attachments(self.env, attachments)
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

    def _klusheeren_create_work_order(self, send=False, contractors=None):
        """A work order per ticket for its contractor (``_klusheeren_contractor``: the rules,
        else the equipment's); tickets without one get none. With ``send``, sent at once to
        the contractors with an e-mail address (the others stay drafts, with an activity for the
        back office: a report never fails on a contractor's missing address).

        :param contractors: ``{ticket id: (contractor, rule)}`` chosen by the caller instead
        """
        WorkOrder = self.env["klusheeren.work.order"].sudo()
        vals_list, tickets = [], []
        for ticket in self:
            if contractors is not None and ticket.id in contractors:
                contractor, rule = contractors[ticket.id]
            else:
                contractor, rule = ticket._klusheeren_contractor_and_rule()
            if not contractor:
                continue
            tickets.append(ticket)
            vals_list.append(
                {
                    "ticket_id": ticket.id,
                    "equipment_id": ticket.equipment_id.id,
                    "contractor_id": contractor.id,
                    "responsibility_id": rule.id,
                    "title": ticket.name,
                    "description": ticket.description,
                }
            )
        if not send:
            return WorkOrder.create(vals_list)
        reachable, unreachable = [], []
        Partner = self.env["res.partner"].sudo()
        for vals in vals_list:
            (reachable if Partner.browse(vals["contractor_id"]).email else unreachable).append(vals)
        orders = WorkOrder._create_sent(reachable, notify_stage=contractors is not None) if reachable else WorkOrder
        drafts = WorkOrder.create(unreachable) if unreachable else WorkOrder
        for order in drafts:
            responsible = order._klusheeren_job_responsible()
            note = plaintext2html(
                self.env._(
                    "Add an e-mail address to %(contractor)s and send the work order, or pass it on by phone.",
                    contractor=order.contractor_id.name,
                )
            )
            if responsible:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Work order not sent: the contractor has no e-mail address"),
                    note=note,
                    user_id=responsible.id,
                )
            else:
                order._message_log(body=note)
        return orders | drafts

    def action_create_work_order(self):
        """Backend button: a work order from this ticket, title and description copied."""
        self.ensure_one()
        if not self.env.user.has_group("klusheeren_base.group_klusheeren_user"):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.work.order",
            "view_mode": "form",
            "context": {
                "default_ticket_id": self.id,
                "default_equipment_id": self.equipment_id.id,
                "default_contractor_id": self._klusheeren_contractor().id,
                "default_title": self.name,
                "default_description": self.description,
            },
        }

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Stages driven by the work order and the reporter
    # ------------------------------------------------------------------
    def _klusheeren_set_stage(self, name, notify=True):
        """Move to a stage of this addon; ``notify=False`` when the caller tells the reporter
        itself (the work order's own e-mails) or the reporter caused the move."""
        stage = self.env.ref(STAGE % name)
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
            back = self.sudo().klusheeren_return_stage_id or self.env.ref(STAGE % "first_line")
            self.sudo().with_context(klusheeren_no_stage_mail=True).write(
                {"stage_id": back.id, "klusheeren_return_stage_id": False}
            )
            author = message.author_id.sudo().name
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

    # ------------------------------------------------------------------
    # Attachments given at creation (the reporter's photos)
    # ------------------------------------------------------------------
    def _klusheeren_photos(self):
        """The files shared with the contractor (see ``klusheeren_shared_attachment_ids``)."""
        # no sudo: callers are the sending job, the back office and token pages, which hand
        # over superuser records after their access check
        return self.klusheeren_shared_attachment_ids.sorted("id")
