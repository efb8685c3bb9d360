# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools.upload import MAX_FILES, attach_uploads, check_attachments

DESCRIPTION_MAX = 8000
FEEDBACK_MAX = 8000
PHOTO_MAX = MAX_FILES
OPEN_STATES = ("new", "sent", "answered")
COMPLAINTS_PER_DAY = 3  # per ticket, whoever holds its link


class KlusheerenComplaint(models.Model):
    """A reporter's complaint about the handling of a ticket (seed 000, "Nieuwe functies").

    It goes to the contractor of the work order with a link to a page (``portal.mixin``: the
    token is the contractor's) that shows the ticket, the work order, the timeline and the
    rating, where the contractor gives feedback on the resolution. The back office follows it
    up and closes it (resolved or rejected); the reporter is told the outcome.
    """

    _name = "klusheeren.complaint"
    _description = "Complaint"
    _inherit = ["klusheeren.token.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/", index="trigram")
    state = fields.Selection(
        [
            ("new", "New"),
            ("sent", "Sent to contractor"),
            ("answered", "Answered"),
            ("resolved", "Resolved"),
            ("rejected", "Rejected"),
        ],
        default="new",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade", tracking=True)
    work_order_id = fields.Many2one(
        "klusheeren.work.order",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        domain="[('ticket_id', '=', ticket_id)]",
    )
    contractor_id = fields.Many2one(
        "res.partner",
        compute="_compute_contractor_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
    )
    site_id = fields.Many2one(
        "res.partner", string="Site", related="ticket_id.site_id", store=True, index="btree_not_null"
    )
    equipment_id = fields.Many2one(related="ticket_id.equipment_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Reporter", required=True, tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain=[("share", "=", False)],
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        default=lambda self: self.env.company,
    )
    reason = fields.Selection(
        [
            ("speed", "Took too long"),
            ("communication", "Communication"),
            ("quality", "Quality of the work"),
            ("not_solved", "Problem not solved"),
            ("conduct", "Conduct on site"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    reason_label = fields.Char(compute="_compute_reason_label", string="Reason (label)")
    description = fields.Text(required=True)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "klusheeren_complaint_photo_rel",
        "complaint_id",
        "attachment_id",
        string="Photos",
    )
    contractor_feedback = fields.Text(string="Feedback of the contractor", tracking=True, readonly=True)
    resolution = fields.Text(string="Outcome", help="The outcome, as the reporter will read it in the closing e-mail.")
    rating_id = fields.Many2one(related="work_order_id.klusheeren_rating_id", string="Satisfaction score")
    date_sent = fields.Datetime(string="Sent to contractor on", readonly=True, copy=False)
    date_answered = fields.Datetime(string="Answered on", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False)
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")

    _name_unique = models.Constraint("UNIQUE(name, company_id)", "Complaint numbers are unique.")
    # one open complaint per ticket and work order, whatever races (docs/SECURITY.md)
    _one_open_per_order = models.UniqueIndex(
        "(ticket_id, COALESCE(work_order_id, 0)) WHERE state IN ('new', 'sent', 'answered')",
        "A complaint about this work order is already open.",
    )

    @api.depends("work_order_id")
    def _compute_contractor_id(self):
        for complaint in self:
            if complaint.work_order_id:
                complaint.contractor_id = complaint.work_order_id.contractor_id

    @api.depends("ticket_id", "work_order_id")
    def _compute_user_id(self):
        for complaint in self:
            if not complaint.user_id:
                complaint.user_id = complaint.work_order_id.user_id or complaint.ticket_id.user_id

    @api.depends("ticket_id")
    def _compute_company_id(self):
        for complaint in self:
            if complaint.ticket_id.company_id:
                complaint.company_id = complaint.ticket_id.company_id

    @api.depends("reason")
    @api.depends_context("lang")
    def _compute_reason_label(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for complaint in self:
            complaint.reason_label = labels.get(complaint.reason, "")

    @api.depends("state")
    def _compute_is_open(self):
        for complaint in self:
            complaint.is_open = complaint.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Open'."))
        positive = (operator == "=") == value
        return [("state", "in" if positive else "not in", OPEN_STATES)]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/klusheeren/complaint/{complaint.id}"
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                seq = self.env["ir.sequence"].sudo()  # sudo: the number is the system's (read-only)
                if vals.get("company_id"):
                    seq = seq.with_company(vals["company_id"])
                vals["name"] = seq.next_by_code("klusheeren.complaint") or "/"
        complaints = super().create(vals_list)
        for complaint in complaints:
            if complaint.user_id:
                complaint.message_subscribe(partner_ids=complaint.user_id.partner_id.ids)
        return complaints

    # ------------------------------------------------------------------
    # Token access (the contractor has no account)
    # ------------------------------------------------------------------
    def _get_thread_with_access(self, thread_id, *, hash=None, pid=None, token=None, **kwargs):
        """The contractor's token opens the complaint page only, never Odoo's generic chatter
        routes (``/mail/message/post`` and the like): those need a user's own rights."""
        return super()._get_thread_with_access(thread_id, **kwargs)

    # ------------------------------------------------------------------
    # Filing (the reporter's ticket page)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_file(self, ticket, reason, description, attachments=(), partner=None):
        """The reporter files a complaint about ``ticket``: created, confirmed to the reporter
        and sent to the contractor of the work order concerned (when there is one).

        :param attachments: list of ``(filename, bytes, mimetype)``, judged by the upload policy
        :raise UserError: missing description, unknown reason, bad files, a complaint about the
            same work order still open, too many complaints on the ticket today
        """
        # sudo: the callers (the reporter's ticket page) checked the ticket's token or login
        ticket = ticket.sudo()
        if not isinstance(description, (str, type(None))):
            raise UserError(self.env._("Describe what went wrong."))
        description = (description or "").strip()
        if not description:
            raise UserError(self.env._("Describe what went wrong."))
        if len(description) > DESCRIPTION_MAX:
            raise UserError(self.env._("The description is too long."))
        reasons = dict(self._fields["reason"].selection)
        if reason not in reasons:
            raise UserError(self.env._("Choose a reason."))
        attachments = check_attachments(self.env, attachments, max_files=PHOTO_MAX)
        order = ticket._klusheeren_complaint_work_order()
        # sudo: the reporter's complaint on that ticket (checked by the callers, see above)
        Complaint = self.sudo()
        if Complaint.with_context(active_test=False).search_count(
            [
                ("ticket_id", "=", ticket.id),
                ("work_order_id", "=", order.id or False),
                ("state", "in", OPEN_STATES),
            ]
        ):
            raise UserError(
                self.env._("Your complaint about this job is being handled: add to it in the messages below.")
            )
        if (
            Complaint.with_context(active_test=False).search_count(
                [
                    ("ticket_id", "=", ticket.id),
                    ("create_date", ">", fields.Datetime.now() - timedelta(days=1)),
                ]
            )
            >= COMPLAINTS_PER_DAY
        ):
            raise UserError(self.env._("Too many complaints about this report today. Please try again tomorrow."))
        try:
            with self.env.cr.savepoint():
                complaint = Complaint.create(
                    {
                        "ticket_id": ticket.id,
                        "work_order_id": order.id,
                        "partner_id": (partner or ticket.partner_id).id,
                        "reason": reason,
                        "description": description,
                        "company_id": ticket.company_id.id or self.env.company.id,
                    }
                )
        except pg_errors.UniqueViolation:
            # the same complaint filed twice at once (two clicks, two tabs): one is kept
            raise UserError(
                self.env._("Your complaint about this job is being handled: add to it in the messages below.")
            ) from None
        if attachments:
            # the superuser complaint just made for its reporter; files checked above
            photos = attach_uploads(complaint, attachments, checked=True)
            complaint.photo_ids = [(6, 0, photos.ids)]
        complaint.message_post(
            body=plaintext2html(description),
            author_id=complaint.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=complaint.photo_ids.ids,
        )
        ticket.message_post(
            body=Markup("<p>%s</p>") % self.env._("The reporter filed complaint %(name)s.", name=complaint.name),
            subtype_xmlid="mail.mt_note",
        )
        if complaint.partner_id.email:
            # sudo: the confirmation to the reporter of the complaint just filed (checked above)
            self.env.ref("klusheeren_rating.mail_template_complaint_received").sudo().send_mail(
                complaint.id, email_layout_xmlid="mail.mail_notification_light"
            )
        if complaint.contractor_id.email:
            complaint.action_send_to_contractor()
        if complaint.user_id:
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Follow up complaint %s", complaint.name),
                note=plaintext2html(description),
                user_id=complaint.user_id.id,
            )
        return complaint

    # ------------------------------------------------------------------
    # Back office
    # ------------------------------------------------------------------
    def action_send_to_contractor(self):
        """E-mail the contractor the link to the complaint page (again, if need be)."""
        template = self.env.ref("klusheeren_rating.mail_template_complaint_contractor").sudo()
        for complaint in self:
            if complaint.state not in ("new", "sent", "answered"):
                raise UserError(self.env._("Complaint %s is closed.", complaint.name))
            if not complaint.contractor_id.email:
                raise UserError(self.env._("Complaint %s has no contractor with an e-mail address.", complaint.name))
            # sudo: the token and the sending date are the system's fields (back office or the filing above)
            complaint_sudo = complaint.sudo()
            complaint_sudo._portal_ensure_token()
            values = {"date_sent": fields.Datetime.now()}
            if complaint.state == "new":
                values["state"] = "sent"
            complaint_sudo.write(values)
            template.send_mail(
                complaint.id,
                email_layout_xmlid="mail.mail_notification_light",
                email_values={"attachment_ids": [(4, a.id) for a in complaint_sudo.photo_ids]},
            )
            complaint.message_post(
                body=Markup("<p>%s</p>") % self.env._("Complaint sent to %(name)s.", name=complaint.contractor_id.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def contractor_answer(self, feedback):
        """The contractor's feedback on the resolution, from the complaint page."""
        self.ensure_one()
        feedback = (feedback or "").strip()
        if not feedback:
            raise UserError(self.env._("Write your feedback."))
        if len(feedback) > FEEDBACK_MAX:
            raise UserError(self.env._("The feedback is too long."))
        if self.state not in ("sent", "answered"):
            raise UserError(self.env._("This complaint is closed: it can no longer be answered."))
        # ``self`` is the superuser complaint of the page's door (_klusheeren_from_token); over
        # JSON-RPC portal and public users read nothing of it (no access right), and the back
        # office writes with its own rights
        self.write({"contractor_feedback": feedback, "state": "answered", "date_answered": fields.Datetime.now()})
        self.message_post(
            body=plaintext2html(feedback),
            author_id=self.contractor_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )
        return True

    def _klusheeren_close(self, state):
        for complaint in self:
            if complaint.state not in OPEN_STATES:
                raise UserError(self.env._("Complaint %s is already closed.", complaint.name))
            if not (complaint.resolution or "").strip():
                raise UserError(self.env._("Write the outcome for the reporter before closing %s.", complaint.name))
        self.write({"state": state, "date_closed": fields.Datetime.now()})
        # sudo: the outcome to the complaint's reporter (back office only: complaints are its own)
        template = self.env.ref("klusheeren_rating.mail_template_complaint_outcome").sudo()
        for complaint in self:
            complaint.activity_ids.action_feedback(feedback=self.env._("Complaint closed."))
            if complaint.partner_id.email:
                template.send_mail(complaint.id, email_layout_xmlid="mail.mail_notification_light")
        return True

    def action_resolve(self):
        return self._klusheeren_close("resolved")

    def action_reject(self):
        return self._klusheeren_close("rejected")

    def action_reopen(self):
        for complaint in self:
            if complaint.state in OPEN_STATES:
                raise UserError(self.env._("Complaint %s is not closed.", complaint.name))
        self.write({"state": "answered" if self.contractor_feedback else "new", "date_closed": False})
        return True

    # ------------------------------------------------------------------
    # The contractor's page
    # ------------------------------------------------------------------
    def _klusheeren_timeline(self):
        """The public history of the ticket and the work order, oldest first: e-mails and
        comments, never internal notes."""
        self.ensure_one()
        # on the superuser complaint of the page's door (_klusheeren_from_token); only public
        # messages are read
        domain = [
            "|",
            "&",
            ("model", "=", "helpdesk.ticket"),
            ("res_id", "=", self.ticket_id.id),
            "&",
            ("model", "=", "klusheeren.work.order"),
            ("res_id", "in", self.work_order_id.ids or [0]),
            ("message_type", "in", ("comment", "email")),
            ("subtype_id.internal", "=", False),
            ("is_internal", "=", False),
            ("body", "!=", False),
        ]
        return self.env["mail.message"].search(domain, order="date asc, id asc", limit=200)

    def _klusheeren_photos_with_token(self):
        """The photos, each with an access token for the contractor's page (on the superuser
        complaint of the page's door)."""
        self.ensure_one()
        photos = self.photo_ids
        for photo in photos:
            photo.generate_access_token()
        return photos
