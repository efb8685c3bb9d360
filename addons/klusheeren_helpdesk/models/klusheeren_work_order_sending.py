import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

# core's (private) facts about the installed wkhtmltopdf: whether its Qt is patched
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

from .ir_actions_report import PDF_CACHE

_logger = logging.getLogger(__name__)


# one file per responsibility of the model (issue 23), not one class of everything
class KlusheerenWorkOrder(models.Model):
    """Sending and reminders: the reporter's and the responsible's notifications, the sending
    job (work order e-mails with their PDF) and the reminders to the contractor."""

    _inherit = "klusheeren.work.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _notify_reporter(self, template_xmlid):
        self.ensure_one()
        if self.ticket_id.partner_id.email:
            self.env.ref(template_xmlid).send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")

    # Named hooks, one per event the reporter hears of: an addon replaces the e-mail of one
    # event by overriding its hook (klusheeren_rating: done; klusheeren_visit: appointment).
    def _klusheeren_notify_accepted(self):
        """The contractor accepted the order."""
        return self._notify_reporter("klusheeren_helpdesk.mail_template_work_order_accepted")

    def _klusheeren_notify_appointment(self):
        """The contractor set or moved the appointment."""
        return self._notify_reporter("klusheeren_helpdesk.mail_template_work_order_appointment")

    def _klusheeren_notify_done(self):
        """The contractor completed the order."""
        return self._notify_reporter("klusheeren_helpdesk.mail_template_work_order_done")

    def _klusheeren_notify_cancelled(self):
        """The back office withdrew the order."""
        return self._notify_reporter("klusheeren_helpdesk.mail_template_work_order_cancelled_reporter")

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
        # sudo: the job (private; its cron runs as the superuser already): every pending
        # confirmation and work order e-mail, whoever's request queued it
        system = self.sudo()
        Ticket = system.env["helpdesk.ticket"]
        Ticket._klusheeren_send_acknowledgements(limit)
        domain = [
            ("mail_pending", "=", True),
            ("state", "in", ("sent", "accepted", "on_hold", "done")),
            *self._klusheeren_job_domain(),
        ]
        orders = system.search(domain, limit=limit, order="klusheeren_job_failures, id")
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_contractor")
        orders._klusheeren_prerender_pdfs(template)
        sent = orders._klusheeren_job_run(
            lambda order: order._klusheeren_send_work_order_mail(template),
            self.env._("Sending the work order e-mail"),
            commit_each=True,
        )
        # what waits now (those waiting for a retry excepted): the cron worker runs the job again
        remaining = system.search_count(domain) + Ticket.search_count(Ticket._klusheeren_ack_domain())
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
        if batch < 2 or not _wkhtml().is_patched_qt:
            # several documents in one run need wkhtmltopdf's patched Qt (wkhtmltopdf.org's builds,
            # Odoo's Docker image); with another (Debian's), core refuses the run after rendering it
            return
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
        self.mail_pending = False  # (the job's superuser orders)

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
        # sudo: the job (private; its cron runs as the superuser already): the reminder
        # bookkeeping below is the system's
        orders = self.sudo().search(domain, limit=limit, order="id")
        to_remind = orders.filtered(lambda o: o.reminder_count < maximum)
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_reminder")
        reminded = to_remind._klusheeren_job_run(
            lambda order: order._klusheeren_send_reminder(template),
            self.env._("Sending a reminder"),
        )
        for count, group in reminded.grouped("reminder_count").items():
            group.write({"reminder_count": count + 1, "date_last_reminder": now})
        escalated = (orders - to_remind)._klusheeren_job_run(
            lambda order: order._klusheeren_escalate_reminders(), self.env._("Escalating a work order")
        )
        escalated.write({"reminder_escalated": True})
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
