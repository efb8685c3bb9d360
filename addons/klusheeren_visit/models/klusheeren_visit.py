# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from odoo.addons.klusheeren_base.tools.settings import read as read_setting

REMINDER_CRON = "klusheeren_visit.ir_cron_visit_reminder"
OPEN_ORDER_STATES = ("sent", "accepted", "on_hold")
# A reminder leaves between these local hours ("a decent hour"), at least this long before the visit.
DECENT_FROM, DECENT_UNTIL = 8, 20
MIN_NOTICE = timedelta(hours=12)
MOMENTS_MAX = 1000
REMARKS_MAX = 20


class KlusheerenVisit(models.Model):
    """The appointment of a contractor at a location, as the person there sees it (seed 004):
    the reminder by their preferred channel and the pre-visit page.

    One per work order. Its ``access_token`` (``klusheeren.token.mixin``: 256 bits, readable by
    internal users only) is the reporter's link, separate from the work order's (the contractor's).
    """

    _name = "klusheeren.visit"
    _description = "Visit check-in"
    _inherit = ["klusheeren.token.mixin", "klusheeren.job.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "appointment_date desc, id desc"
    _rec_name = "work_order_id"

    work_order_id = fields.Many2one(
        "klusheeren.work.order", required=True, readonly=True, ondelete="cascade", index=True
    )
    ticket_id = fields.Many2one(related="work_order_id.ticket_id", store=True, string="Ticket")
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, readonly=True, help="The person at the location: the reporter."
    )
    contractor_id = fields.Many2one(related="work_order_id.contractor_id", store=True)
    equipment_id = fields.Many2one(related="work_order_id.equipment_id", store=True)
    site_id = fields.Many2one(related="work_order_id.site_id", store=True, string="Location")
    company_id = fields.Many2one(related="work_order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="work_order_id.currency_id")
    user_id = fields.Many2one(related="work_order_id.user_id", string="Responsible")
    appointment_date = fields.Datetime(readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("planned", "Waiting for an answer"),
            ("confirmed", "Confirmed"),
            ("reschedule", "Another time asked"),
        ],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_confirmed = fields.Datetime(readonly=True)
    preferred_moments = fields.Text(readonly=True, help="When the contact would rather be visited.")
    reschedule_handled = fields.Boolean(readonly=True)
    reminder_state = fields.Selection(
        [("scheduled", "Scheduled"), ("sent", "Sent"), ("skipped", "Not sent")],
        readonly=True,
        index=True,
        copy=False,
    )
    reminder_at = fields.Datetime(string="Reminder at", readonly=True, index=True, copy=False)
    reminder_sent_at = fields.Datetime(readonly=True, copy=False)
    reminder_note = fields.Char(readonly=True, copy=False)
    remark_ids = fields.One2many("klusheeren.visit.remark", "visit_id", string="Remarks")
    service_ids = fields.One2many("klusheeren.visit.service", "visit_id", string="Extra services asked")
    checkin_todo = fields.Boolean(
        string="Check-in to handle",
        compute="_compute_checkin_todo",
        store=True,
        help="The contact asked another time, left a remark or chose a service that is not handled yet.",
    )

    _work_order_unique = models.Constraint("UNIQUE(work_order_id)", "A work order has one visit.")

    @api.depends("state", "reschedule_handled", "remark_ids.state", "service_ids.state")
    def _compute_checkin_todo(self):
        for visit in self:
            visit.checkin_todo = (
                (visit.state == "reschedule" and not visit.reschedule_handled)
                or any(r.state == "new" for r in visit.remark_ids)
                or any(s.state == "new" for s in visit.service_ids)
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for visit in self:
            visit.access_url = f"/my/visits/{visit.id}"
        return res

    # ------------------------------------------------------------------
    # Token (klusheeren.token.mixin: ``_klusheeren_from_token``)
    # ------------------------------------------------------------------
    def _get_thread_with_access(self, thread_id, *, hash=None, pid=None, token=None, **kwargs):
        """The contact's token opens the pre-visit page only: Odoo's generic chatter routes
        (``/mail/message/post``, ``/mail/attachment/upload``) accept no token for a visit."""
        return super()._get_thread_with_access(thread_id, **kwargs)

    def _klusheeren_checked(self, access_token):
        """Every method of the page starts here: the caller proves the token before any sudo()."""
        self.ensure_one()
        visit = self._klusheeren_from_token(self.id, access_token)
        if not visit:
            raise AccessError(self.env._("This link does not open this visit."))
        # each method changes the visit, which the reminder job writes too: the row lock first;
        # then the ticket's and the order's, which the sending job writes (their deadlines, the
        # appointment), in the order the contractor's page takes them
        visit._klusheeren_lock()
        visit.ticket_id._klusheeren_lock()
        visit.work_order_id._klusheeren_lock()
        return visit

    def _klusheeren_url(self):
        self.ensure_one()
        token = self._portal_ensure_token()
        return f"{self.get_base_url()}/my/visits/{self.id}?access_token={token}"

    # ------------------------------------------------------------------
    # Time zone, prices
    # ------------------------------------------------------------------
    def _klusheeren_tz(self):
        """The location's time zone (its contact's, else the company's), else Dutch time."""
        self.ensure_one()
        name = self.site_id.tz or self.company_id.partner_id.tz or "Europe/Amsterdam"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.timezone("Europe/Amsterdam")

    def _klusheeren_local(self, dt=None):
        """A stored UTC moment in the location's time zone (naive → aware)."""
        self.ensure_one()
        dt = dt or self.appointment_date
        return pytz.utc.localize(dt).astimezone(self._klusheeren_tz()) if dt else False

    def _klusheeren_format_appointment(self, lang=None):
        self.ensure_one()
        return format_datetime(
            # the language of the text around it: given, else the contact's, else the one rendering
            self.with_context(lang=lang or self.partner_id.lang or self.env.lang).env,
            self.appointment_date,
            tz=self._klusheeren_tz().zone,
            dt_format="EEEE d MMMM y, HH:mm",
        )

    @api.model
    def _klusheeren_vat_rate(self):
        return read_setting(self.env, "klusheeren_visit.vat_percent")

    def _klusheeren_incl_vat(self, amount):
        return self.currency_id.round(amount * (1 + self._klusheeren_vat_rate() / 100.0))

    def _klusheeren_planned_lines(self):
        """The work order lines as the contact sees them: description, quantity, price incl. VAT."""
        self.ensure_one()
        return [
            {
                "name": line.name,
                "quantity": line.quantity,
                "price_incl": self._klusheeren_incl_vat(line.price_subtotal),
            }
            for line in self.work_order_id.line_ids
        ]

    def _klusheeren_options(self):
        """The optional services of the equipment's category, with this visit's answers (on
        the superuser visit of the page's door, or by the back office, which reads options)."""
        self.ensure_one()
        category = self.equipment_id.category_id
        if not category:
            return self.env["klusheeren.visit.option"]
        return self.env["klusheeren.visit.option"].search(
            [("category_id", "=", category.id), ("company_id", "in", (False, self.company_id.id))]
        )

    # ------------------------------------------------------------------
    # Following the work order's appointment
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_sync(self, orders):
        """Create or move the visits of ``orders`` after their appointment changed: a moved
        appointment reschedules the reminder and resets the confirmation."""
        # sudo: the system's visits follow the orders' checked changes (contractor's page, back office)
        Visit = self.sudo()
        for order in orders.sudo():
            visit = Visit.search([("work_order_id", "=", order.id)], limit=1)
            partner = order.ticket_id.partner_id
            if not visit:
                if not order.appointment_date or not partner or order.state not in OPEN_ORDER_STATES:
                    continue
                visit = Visit.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
                    {"work_order_id": order.id, "partner_id": partner.id, "appointment_date": order.appointment_date}
                )
                visit._portal_ensure_token()
            elif visit.appointment_date == order.appointment_date:
                continue
            else:
                old = visit.appointment_date
                visit._klusheeren_lock()  # the reminder job may hold it: wait, as the page does
                visit.write(
                    {
                        "appointment_date": order.appointment_date,
                        "state": "planned",
                        "date_confirmed": False,
                        "reschedule_handled": visit.state == "reschedule" or visit.reschedule_handled,
                    }
                )
                if old:
                    visit._message_log(body=self.env._("Appointment moved: the contact's confirmation is reset."))
            visit._klusheeren_schedule_reminder()

    # ------------------------------------------------------------------
    # The page (token checked first in each method)
    # ------------------------------------------------------------------
    def _klusheeren_responsible_env(self):
        """The environment in the language of the work order's responsible, who reads the notes on
        the contact's answers in the chatter and by e-mail: not the page visitor's language."""
        # sudo: the language of this visit's own responsible, nothing else of them
        lang = self.work_order_id.sudo().user_id.lang
        return self.with_context(lang=lang or self.env.lang).env

    def _klusheeren_check_open(self):
        # the page's actions end with the visit: the order closed, or the appointment's time passed
        if (
            self.work_order_id.state not in OPEN_ORDER_STATES
            or not self.appointment_date
            or self.appointment_date < fields.Datetime.now()
        ):
            raise UserError(self.env._("This appointment can no longer be changed here."))

    def portal_confirm(self, access_token):
        visit = self._klusheeren_checked(access_token)
        visit._klusheeren_check_open()
        if visit.state == "confirmed":
            return False
        visit.write({"state": "confirmed", "date_confirmed": fields.Datetime.now()})
        told = visit._klusheeren_responsible_env()
        visit._klusheeren_tell_contractor_and_responsible(
            told._(
                "%(name)s confirmed the appointment of %(date)s (%(order)s).",
                name=visit.partner_id.name,
                date=visit._klusheeren_format_appointment(told.lang),
                order=visit.work_order_id.name,
            )
        )
        return True

    def portal_reschedule(self, access_token, moments):
        visit = self._klusheeren_checked(access_token)
        visit._klusheeren_check_open()
        moments = (moments or "").strip()
        if not moments:
            raise UserError(self.env._("Say when you would rather be visited."))
        if len(moments) > MOMENTS_MAX:
            raise UserError(self.env._("Keep your preferred moments under %(n)s characters.", n=MOMENTS_MAX))
        visit.write(
            {"state": "reschedule", "preferred_moments": moments, "date_confirmed": False, "reschedule_handled": False}
        )
        told = visit._klusheeren_responsible_env()
        visit._klusheeren_tell_contractor_and_responsible(
            told._(
                "%(name)s asks another time than %(date)s (%(order)s): %(moments)s",
                name=visit.partner_id.name,
                date=visit._klusheeren_format_appointment(told.lang),
                order=visit.work_order_id.name,
                moments=moments,
            )
        )
        return True

    def portal_update_contact(self, access_token, phone, email, channel):
        visit = self._klusheeren_checked(access_token)
        # the page's actions end with the appointment (docs/SECURITY.md)
        visit._klusheeren_check_open()
        return visit.partner_id._klusheeren_update_contact(
            phone, email, channel, where=self.env._("the pre-visit page of %s", visit.work_order_id.name)
        )

    def portal_add_remark(self, access_token, subject, description, uploads=(), visible=True):
        visit = self._klusheeren_checked(access_token)
        visit._klusheeren_check_open()
        if len(visit.remark_ids) >= REMARKS_MAX:
            raise UserError(self.env._("At most %(n)s remarks per appointment: call us for more.", n=REMARKS_MAX))
        # sudo: the remark of the visit whose token _klusheeren_checked proved above
        Remark = self.env["klusheeren.visit.remark"].sudo()
        return Remark._klusheeren_create_from_page(visit, subject, description, uploads, visible)

    def portal_answer_option(self, access_token, option_id, choice):
        visit = self._klusheeren_checked(access_token)
        visit._klusheeren_check_open()
        # sudo: the answer of the visit whose token _klusheeren_checked proved above
        return self.env["klusheeren.visit.service"].sudo()._klusheeren_answer(visit, option_id, choice)

    # ------------------------------------------------------------------
    # Back office
    # ------------------------------------------------------------------
    def action_reschedule_handled(self):
        self.write({"reschedule_handled": True})
        return True

    def action_send_reminder_now(self):
        for visit in self:
            visit._klusheeren_notify_contact(
                "klusheeren_visit.mail_template_visit_reminder", visit._klusheeren_sms_text("reminder")
            )
            visit.write({"reminder_state": "sent", "reminder_sent_at": fields.Datetime.now()})
        return True

    @api.model
    def _klusheeren_demo_visit(self, order_xmlid):
        """Demo: the reporter of ``order_xmlid`` by e-mail and SMS, an appointment three days out
        with two work order lines, a remark and an accepted service, its reminder due at once (so
        that ``make run`` shows it in .local/mail and .local/sms)."""
        order = self.env.ref(order_xmlid)
        partner = order.ticket_id.partner_id
        partner.write({"phone": "+31 6 12345678", "klusheeren_notify_channel": "both"})
        if not order.line_ids:
            order.write(
                {
                    "line_ids": [
                        (0, 0, {"name": "Storing verhelpen (arbeid, uur)", "quantity": 1, "price_unit": 65.0}),
                        (0, 0, {"name": "Voorrijkosten", "quantity": 1, "price_unit": 35.0}),
                    ]
                }
            )
        tz = pytz.timezone("Europe/Amsterdam")
        local = datetime.combine(fields.Date.context_today(self) + timedelta(days=3), time(10, 0))
        order.contractor_save({"appointment_date": tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)})
        visit = self.search([("work_order_id", "=", order.id)])
        token = visit._portal_ensure_token()
        visit.portal_add_remark(
            token,
            "Ketel in de meterkast",
            "De meterkast is op de eerste verdieping, sleutel bij de receptie.",
        )
        option = visit._klusheeren_options()[:1]
        if option:
            visit.portal_answer_option(token, option.id, "accepted")
        visit.write({"reminder_state": "scheduled", "reminder_at": fields.Datetime.now()})
        self.env.ref(REMINDER_CRON)._trigger()
        return visit
