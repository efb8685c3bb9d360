# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

from .klusheeren_visit import DECENT_FROM, DECENT_UNTIL, MIN_NOTICE, OPEN_ORDER_STATES, REMINDER_CRON


# one file per responsibility of the model (issue 23), not one class of everything
class KlusheerenVisit(models.Model):
    """The reminder of a visit and the messages to its contact, contractor and responsible."""

    _inherit = "klusheeren.visit"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The reminder: scheduled for its exact moment, sent once
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_reminder_settings(self):
        return read_setting(self.env, "klusheeren_visit.reminder_days"), read_setting(
            self.env, "klusheeren_visit.reminder_hour"
        )

    def _klusheeren_next_decent(self, moment):
        """``moment`` (UTC, naive), or the next decent hour at the location if it is not one."""
        tz = self._klusheeren_tz()
        local = pytz.utc.localize(moment).astimezone(tz)
        if local.hour < DECENT_FROM:
            local = tz.localize(datetime.combine(local.date(), time(DECENT_FROM)))
        elif local.hour >= DECENT_UNTIL:
            local = tz.localize(datetime.combine(local.date() + timedelta(days=1), time(DECENT_FROM)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _klusheeren_reminder_moment(self):
        """(moment, reason): when to remind, N days before the appointment at the reminder hour
        in the location's time zone; late, at the next decent hour; never for a past or
        too-close appointment (then moment is False and reason says why)."""
        self.ensure_one()
        now = fields.Datetime.now()
        if not self.appointment_date:
            return False, self.env._("No appointment.")
        if self.appointment_date <= now:
            return False, self.env._("The appointment is past.")
        days, hour = self._klusheeren_reminder_settings()
        tz = self._klusheeren_tz()
        day = self._klusheeren_local().date() - timedelta(days=days)
        moment = tz.localize(datetime.combine(day, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)
        if moment < now:
            moment = self._klusheeren_next_decent(now)
        if moment > self.appointment_date - MIN_NOTICE:
            return False, self.env._("The appointment is too close for a reminder.")
        return moment, False

    def _klusheeren_schedule_reminder(self):
        """(Re)plan the reminder and wake the reminder job at that exact moment, as Odoo's
        calendar alarms do; the job's daily run is the safety sweep."""
        moments = []
        for visit in self:
            moment, reason = visit._klusheeren_reminder_moment()
            visit.write(
                {
                    "reminder_state": "scheduled" if moment else "skipped",
                    "reminder_at": moment,
                    "reminder_sent_at": False,
                    "reminder_note": reason or False,
                }
            )
            if moment:
                moments.append(moment)
        if moments:
            self.env.ref(REMINDER_CRON)._trigger(at=sorted(set(moments)))
        return moments

    @api.model
    def _cron_send_reminders(self, limit=200):
        """The due reminders, in batches of ``limit`` (the cron worker runs the job again while
        more are due). Each visit is taken with a row lock that other workers skip (FOR NO KEY
        UPDATE SKIP LOCKED) and moves from 'scheduled' to 'sent' once: two cron workers never
        send the same reminder. A visit whose reminder fails is rolled back alone and retried
        later, the others go out (``klusheeren.job.mixin``)."""
        now = fields.Datetime.now()
        domain = [("reminder_state", "=", "scheduled"), ("reminder_at", "<=", now), *self._klusheeren_job_domain()]
        visits = self.search(domain, order="reminder_at, id", limit=limit)
        handled = visits._klusheeren_job_run(
            lambda visit: visit._klusheeren_send_reminder(now), self.env._("Sending the appointment reminder")
        )
        remaining = self.search_count(domain) if len(visits) == limit else 0
        commit_progress(self.env, len(visits), remaining=remaining)
        return handled.filtered(lambda visit: visit.reminder_state == "sent" and visit.reminder_sent_at == now)

    def _klusheeren_send_reminder(self, now):
        """The reminder of this visit, unless another worker has it or had it (then nothing)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM klusheeren_visit WHERE id = %s AND reminder_state = 'scheduled'"
                    " FOR NO KEY UPDATE SKIP LOCKED",
                    [self.id],
                    log_exceptions=False,  # a concurrent worker's commit is expected, not an error
                )
                taken = self.env.cr.fetchone()
        except psycopg2.errors.SerializationFailure:
            taken = None  # taken and committed by another worker after this one's snapshot
        if not taken:
            self.env.invalidate_all()
            return
        self.invalidate_recordset()
        if self.work_order_id.state not in OPEN_ORDER_STATES:
            self.write({"reminder_state": "skipped", "reminder_note": self.env._("The work order is closed.")})
            return
        if self.appointment_date <= now + MIN_NOTICE:
            self.write(
                {
                    "reminder_state": "skipped",
                    "reminder_note": self.env._("The appointment is too close for a reminder."),
                }
            )
            return
        self._klusheeren_notify_contact(
            "klusheeren_visit.mail_template_visit_reminder", self._klusheeren_sms_text("reminder")
        )
        self.write({"reminder_state": "sent", "reminder_sent_at": now, "reminder_note": False})

    def _klusheeren_job_responsible(self):
        """Told when the reminder job gives up on this visit: the work order's responsible."""
        return self.work_order_id._klusheeren_job_responsible()

    # ------------------------------------------------------------------
    # Messages to the contact, the contractor and the responsible
    # ------------------------------------------------------------------
    def _klusheeren_sms_text(self, kind):
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        values = {
            "company": self.company_id.name,
            "contractor": self.contractor_id.name,
            "equipment": self.equipment_id.name or self.work_order_id.title,
            "date": self._klusheeren_format_appointment(env.lang),
            "url": self._klusheeren_url(),
        }
        if kind == "reminder":
            return env._(
                "%(company)s: reminder, %(contractor)s comes for %(equipment)s on %(date)s. "
                "Confirm, ask another time or add remarks: %(url)s",
                **values,
            )
        return env._(
            "%(company)s: %(contractor)s comes for %(equipment)s on %(date)s. "
            "Confirm, ask another time or add remarks: %(url)s",
            **values,
        )

    def _klusheeren_notify_contact(self, template_xmlid, sms_text):
        """By the contact's preferred channel: the e-mail template, the SMS (queued, through the
        gateway; e-mailed when it cannot be sent, unless the e-mail went as well), or both."""
        self.ensure_one()
        partner = self.partner_id
        channel = partner._klusheeren_channel()
        phone = partner._phone_format(fname="phone") if partner.phone else False
        if channel in ("sms", "both") and not phone:
            channel = "email"
        by = []
        # sudo (each below): the system's messages to the visit's own contact, by its channel
        if channel in ("email", "both") and partner.email:
            self.env.ref(template_xmlid).sudo().send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
            by.append(self.env._("e-mail to %s", partner.email))
        if channel in ("sms", "both"):
            message = self.sudo()._message_sms(
                sms_text, partner_ids=partner.ids, sms_pid_to_number={partner.id: phone}, put_in_queue=True
            )
            if channel == "both":
                self.env["sms.sms"].sudo().search(
                    [("mail_message_id", "=", message.id)]
                ).klusheeren_email_fallback = False
            by.append(self.env._("SMS to %s", phone))
        if by:
            self._message_log(body=self.env._("Sent to the contact: %s.", ", ".join(by)))
        return by

    def _klusheeren_tell_contractor_and_responsible(self, summary):
        """The contractor by e-mail (with its own work order link) and the responsible in the
        work order's chatter."""
        self.ensure_one()
        # sudo: the system tells the visit's own contractor and responsible of the contact's answer
        order = self.work_order_id.sudo()
        if order.contractor_id.email:
            self.env.ref("klusheeren_visit.mail_template_visit_answer_contractor").sudo().send_mail(
                self.id, email_layout_xmlid="mail.mail_notification_light"
            )
        order.message_post(
            body=Markup("<p>%s</p>") % summary,
            subject=summary,
            subtype_xmlid="mail.mt_note",
            partner_ids=order.user_id.partner_id.ids,
        )
