# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, plaintext2html

CRITERIA = ("speed", "communication", "quality")
COMMENT_MAX = 4000


class KlusheerenRating(models.Model):
    """The reporter's satisfaction score of one work order.

    The three criteria and "solved?" live here; the overall score (the rounded mean of the
    criteria) is a ``rating.rating`` of the work order, which inherits ``rating.mixin``: the
    standard rating statistics, the chatter message with the smiley and the Ratings menu of
    Odoo keep working. One record per work order; its ``access_token`` is the reporter's
    link, so the work order's own token (the contractor's link) is never handed to the
    reporter.
    """

    _name = "klusheeren.rating"
    _description = "Work Order Satisfaction Score"
    _inherit = ["klusheeren.token.mixin"]
    _order = "date_rated desc, id desc"
    _rec_name = "work_order_id"
    _check_company_auto = True

    work_order_id = fields.Many2one(
        "klusheeren.work.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    ticket_id = fields.Many2one(related="work_order_id.ticket_id", store=True, index=True, string="Ticket")
    contractor_id = fields.Many2one(related="work_order_id.contractor_id", store=True, index=True, string="Contractor")
    site_id = fields.Many2one(related="work_order_id.site_id", store=True, string="Site")
    equipment_id = fields.Many2one(related="work_order_id.equipment_id", store=True)
    company_id = fields.Many2one(related="work_order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Reporter", readonly=True, help="Who rates: the reporter of the ticket."
    )
    rating_id = fields.Many2one(
        "rating.rating",
        string="Overall rating",
        readonly=True,
        ondelete="set null",
        help="The overall score on the work order, in Odoo's rating scale.",
    )
    state = fields.Selection(
        [("pending", "Waiting for the reporter"), ("rated", "Rated")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    speed = fields.Integer(readonly=True, aggregator="avg", help="1 to 5 stars.")
    communication = fields.Integer(readonly=True, aggregator="avg", help="1 to 5 stars.")
    quality = fields.Integer(string="Quality of the solution", readonly=True, aggregator="avg", help="1 to 5 stars.")
    solved = fields.Boolean(string="Problem solved", readonly=True)
    comment = fields.Text(readonly=True)
    score = fields.Float(
        string="Average score",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="Mean of speed, communication and quality.",
    )
    overall = fields.Integer(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="The mean rounded half up: the value of the Odoo rating (1 to 5).",
    )
    date_requested = fields.Datetime(readonly=True)
    date_rated = fields.Datetime(string="Rated on", readonly=True)
    is_editable = fields.Boolean(
        compute="_compute_is_editable",
        help="The reporter can still change the score: the ticket is not closed.",
    )

    _work_order_unique = models.Constraint("UNIQUE(work_order_id)", "A work order has one satisfaction score.")
    _speed_range = models.Constraint(
        "CHECK(speed IS NULL OR speed = 0 OR (speed >= 1 AND speed <= 5))",
        "Speed is scored from 1 to 5.",
    )
    _communication_range = models.Constraint(
        "CHECK(communication IS NULL OR communication = 0 OR (communication >= 1 AND communication <= 5))",
        "Communication is scored from 1 to 5.",
    )
    _quality_range = models.Constraint(
        "CHECK(quality IS NULL OR quality = 0 OR (quality >= 1 AND quality <= 5))",
        "Quality is scored from 1 to 5.",
    )
    _rated_complete = models.Constraint(
        "CHECK(state != 'rated' OR (speed >= 1 AND communication >= 1 AND quality >= 1))",
        "A submitted rating scores every criterion.",
    )

    @api.depends(*CRITERIA)
    def _compute_score(self):
        for rec in self:
            values = [rec[name] for name in CRITERIA if rec[name]]
            if len(values) == len(CRITERIA):
                mean = sum(values) / len(values)
                rec.score = mean
                rec.overall = int(float_round(mean, precision_digits=0, rounding_method="HALF-UP"))
            else:
                rec.score = 0.0
                rec.overall = 0

    @api.depends("ticket_id.stage_id.closed")
    def _compute_is_editable(self):
        for rec in self:
            rec.is_editable = not rec.ticket_id.stage_id.closed

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for rec in self:
            rec.access_url = f"/klusheeren/rating/{rec.id}"
        return res

    @api.depends("work_order_id.name", "ticket_id.number")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = " / ".join(filter(None, [rec.ticket_id.number, rec.work_order_id.name])) or self.env._(
                "New"
            )

    # ------------------------------------------------------------------
    # The reporter's submission
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_parse_score(self, value):
        """A star value from the form: an integer from 1 to 5, else ``None``."""
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return number if 1 <= number <= 5 else None

    def _klusheeren_validate(self, values):
        """Clean ``values`` from the rating form. Returns ``(clean, errors)``."""
        clean, errors = {}, {}
        for name in CRITERIA:
            score = self._klusheeren_parse_score(values.get(name))
            if score is None:
                errors[name] = self.env._("Give 1 to 5 stars.")
            else:
                clean[name] = score
        solved = values.get("solved")
        if solved in ("yes", True, "1"):
            clean["solved"] = True
        elif solved in ("no", False, "0"):
            clean["solved"] = False
        else:
            errors["solved"] = self.env._("Say whether the problem is solved.")
        comment = (values.get("comment") or "").strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = self.env._("The comment is too long (at most %s characters).", COMMENT_MAX)
        clean["comment"] = comment or False
        return clean, errors

    def action_submit(self, values):
        """Store the reporter's score (first time or edit).

        Applies the overall score to the work order's ``rating.rating``, and, when the reporter
        says the problem is not solved (and did not say so before), reopens the ticket and tells
        the responsible back-office user and the contractor.

        :raise UserError: the ticket is closed
        :raise ValidationError: a value out of bounds
        """
        self.ensure_one()
        if not self.is_editable:
            raise UserError(self.env._("This report is closed: its rating can no longer be changed."))
        clean, errors = self._klusheeren_validate(values)
        if errors:
            raise ValidationError("\n".join(errors.values()))
        was_unsolved = self.state == "rated" and not self.solved
        first = self.state != "rated"
        # ``self`` is the superuser rating of the page's door (_klusheeren_from_token): nobody
        # else writes a rating (no group has the right), so a JSON-RPC call stops at the write
        self.write({**clean, "state": "rated", "date_rated": fields.Datetime.now()})
        self._klusheeren_apply_overall()
        details = {
            "speed": self.speed,
            "communication": self.communication,
            "quality": self.quality,
            "solved": self.env._("yes") if self.solved else self.env._("no"),
        }
        if first:
            body = self.env._(
                "The reporter rated the work: speed %(speed)s/5, communication "
                "%(communication)s/5, quality %(quality)s/5, solved: %(solved)s.",
                **details,
            )
        else:
            body = self.env._(
                "The reporter changed the rating: speed %(speed)s/5, communication "
                "%(communication)s/5, quality %(quality)s/5, solved: %(solved)s.",
                **details,
            )
        self.work_order_id.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")
        if not self.solved and not was_unsolved:
            self._klusheeren_reopen_not_solved()
        return True

    def _klusheeren_apply_overall(self):
        """The rounded mean as the work order's Odoo rating (one ``rating.rating``, edited).
        Runs on the sudo'ed rating of ``action_submit`` (after the page's token check)."""
        for rec in self:
            order = rec.work_order_id
            if not rec.rating_id:
                rec.rating_id = self.env["rating.rating"].create(
                    {
                        "partner_id": rec.partner_id.id,
                        "rated_partner_id": order.contractor_id.id,
                        "res_model_id": self.env["ir.model"]._get_id(order._name),
                        "res_id": order.id,
                        "is_internal": False,
                    }
                )
            order.rating_apply(
                rec.overall,
                rating=rec.rating_id,
                feedback=rec.comment or "",
                subtype_xmlid="mail.mt_note",
            )

    def _klusheeren_reopen_not_solved(self):
        """ "No, not solved": the ticket goes back to First line; the responsible user (ticket
        chatter + activity) and the contractor (e-mail) are told. Runs on the sudo'ed rating of
        ``action_submit`` (after the page's token check)."""
        self.ensure_one()
        ticket = self.ticket_id
        order = self.work_order_id
        ticket._klusheeren_set_stage("first_line")
        responsible = order.user_id or ticket.user_id
        ticket.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Reopened: the reporter says the problem of work order %(name)s (%(contractor)s) is not solved.",
                    name=order.name,
                    contractor=order.contractor_id.name,
                ),
                self.comment or "",
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=responsible.partner_id.ids,
        )
        if responsible:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Reporter says the problem is not solved"),
                note=plaintext2html(self.comment) if self.comment else False,
                user_id=responsible.id,
            )
        if order.contractor_id.email:
            self.env.ref("klusheeren_rating.mail_template_rating_not_solved").send_mail(
                self.id, email_layout_xmlid="mail.mail_notification_light"
            )

    # ------------------------------------------------------------------
    # Request
    # ------------------------------------------------------------------
    def _klusheeren_send_request(self):
        """The e-mail to the reporter: the work is done, please rate it. Runs sudo'ed
        (``klusheeren.work.order._klusheeren_request_rating``)."""
        template = self.env.ref("klusheeren_rating.mail_template_rating_request")
        for rec in self:
            rec._portal_ensure_token()
            rec.date_requested = fields.Datetime.now()
            if rec.partner_id.email:
                template.send_mail(rec.id, email_layout_xmlid="mail.mail_notification_light")

    def _klusheeren_rating_url(self, score=None):
        """The reporter's link (absolute), optionally preselecting ``score`` stars."""
        self.ensure_one()
        query = f"&score={int(score)}" if score else None
        # sudo: the link is built for the system's e-mail to the rating's own reporter
        return self.get_base_url() + self.sudo().get_portal_url(query_string=query)

    def action_view_work_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.work.order",
            "res_id": self.work_order_id.id,
            "views": [(False, "form")],
        }
