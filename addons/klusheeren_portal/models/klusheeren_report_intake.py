# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The intake of fault reports: a report from a sticker's form is accepted by the request and
made into a ticket by a job, right after the request's commit (issue 21).

Why not in the request: a ticket is routed, followed, given its work order, its SLA clocks and
its activities; that costs about 100 ms of CPU, five times what accepting the report costs. A
burst of reports (five colleagues at one coffee machine, an office behind one address) then
waits in line for each other's tickets. Accepted here, each reporter has an answer, with the
ticket number, in about 20 ms, and the ticket follows within a second. A report that the job
cannot make into a ticket is not lost: it is tried again (``klusheeren.job.mixin``), and when the
job gives up, the back office gets everything the reporter sent on the equipment.
"""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools.cron_tools import commit_progress, trigger_once

_logger = logging.getLogger(__name__)

INTAKE_JOB = "klusheeren_portal.ir_cron_report_intake"
# a report should become a ticket within seconds: the first retries follow soon
INTAKE_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# what the reporter typed (the report's keys, as helpdesk.ticket._klusheeren_report_check gives them)
# and where it waits for the job; with the page's language, emptied once the ticket is made
REPORT_FIELDS = {
    "description": "description",
    "name": "reporter_name",
    "email": "email",
    "phone": "phone",
    "notify_channel": "notify_channel",
}
PAYLOAD_FIELDS = (*REPORT_FIELDS.values(), "lang")


class KlusheerenReportSubmission(models.Model):
    _inherit = "klusheeren.report.submission"  # pylint: disable=consider-merging-classes-inherited

    _klusheeren_job_delays = INTAKE_DELAYS
    _klusheeren_job_cron = INTAKE_JOB

    def _klusheeren_queue(self, equipment, report, uploads):
        """Accept this submission's report for ``equipment`` (checked by
        ``helpdesk.ticket._klusheeren_report_check``), with its ``uploads`` (judged by the upload
        policy) beside the photos kept from its refused sendings: its ticket number now, the
        ticket by the intake job."""
        self.ensure_one()
        if uploads:
            self._klusheeren_keep(uploads)
        company = equipment.company_id or self.env.company
        # the number helpdesk_mgmt would give the ticket (its sequence), given now: the reporter
        # sees it at once and the job creates the ticket with it
        number = self.env["helpdesk.ticket"].sudo()._prepare_ticket_number({"company_id": company.id})
        self.write(
            {
                "number": number,
                "equipment_id": equipment.id,
                "lang": self.env.lang,
                **{field: report.get(key) or False for key, field in REPORT_FIELDS.items()},
            }
        )
        trigger_once(self.env, INTAKE_JOB)

    def _klusheeren_report_values(self):
        """The report as ``helpdesk.ticket._klusheeren_report_create`` takes it."""
        self.ensure_one()
        return {
            **{key: self[field] or False for key, field in REPORT_FIELDS.items()},
            # (a language removed since the report: the database's default for new contacts)
            "lang": self.lang if self.lang in dict(self.env["res.lang"].get_installed()) else False,
        }

    def _klusheeren_make_ticket(self):
        """The ticket of this accepted report, in the reporter's language (their contact, the
        ticket's title and e-mails), with its number and photos. The reporter's input is not
        kept here afterwards."""
        self.ensure_one()
        if self.ticket_id or not self.number:
            return self.ticket_id  # made already (a second run of the job), or not a report
        # sudo: the intake job (its cron runs as the superuser already) for a report that the
        # request checked and accepted for the sticker's equipment
        submission = self.sudo().with_context(lang=self.lang or self.env.lang)
        Ticket = submission.env["helpdesk.ticket"]
        ticket = Ticket._klusheeren_report_create(
            submission.equipment_id,
            submission._klusheeren_report_values(),
            submission._klusheeren_kept(),
            number=submission.number,
        )
        submission.write({"ticket_id": ticket.id, **dict.fromkeys(PAYLOAD_FIELDS, False)})
        return ticket

    @api.model
    def _klusheeren_intake_domain(self):
        return [("number", "!=", False), ("ticket_id", "=", False), *self._klusheeren_job_domain()]

    @api.model
    def _cron_make_tickets(self, limit=50):
        """The intake job: the tickets of the accepted reports, oldest first, each in its own
        savepoint and, in the cron worker, its own transaction: one report that fails never
        holds up the others. The job runs again at once while more are waiting."""
        # sudo: the job (private; its cron runs as the superuser already): every accepted report
        system = self.sudo()
        queued = system.search(system._klusheeren_intake_domain(), order="id", limit=limit)
        made = queued._klusheeren_job_run(
            lambda submission: submission._klusheeren_make_ticket(),
            self.env._("Making the ticket of a fault report"),
            commit_each=True,
        )
        commit_progress(self.env, 0, remaining=system.search_count(system._klusheeren_intake_domain()))
        return made.ticket_id

    def _klusheeren_job_responsible(self):
        """Told when the job gives up on a report: the equipment's technician, else the leader
        or a member of the fault team the reports go to (never the system user)."""
        team = self.env.ref("klusheeren_helpdesk.team_storingen", raise_if_not_found=False)
        users = self.equipment_id.technician_user_id
        if team:
            users |= team.user_id | team.user_ids
        return users.filtered(lambda u: u.active and not u.share)[:1]

    def _klusheeren_job_give_up(self, job_label, reason):
        """Nothing of the report is lost: what the reporter sent goes to the back office as a
        note on the equipment, with its photos and an activity for the responsible."""
        for submission in self.sudo():
            equipment = submission.equipment_id
            if not equipment:
                continue
            env = equipment.env
            lines = [
                env._(
                    "A fault report could not be made into a ticket (%(job)s: %(reason)s). Make the ticket "
                    "by hand, with the number the reporter was given.",
                    job=job_label,
                    reason=reason,
                ),
                env._("Ticket number given to the reporter: %(number)s", number=submission.number),
                env._(
                    "Reporter: %(name)s, %(email)s, %(phone)s",
                    name=submission.reporter_name or "-",
                    email=submission.email or "-",
                    phone=submission.phone or "-",
                ),
                submission.description or "",
            ]
            body = Markup("").join(plaintext2html(line) for line in lines)
            try:
                with env.cr.savepoint():
                    # the photos become the equipment's: the submission's are deleted with it
                    photos = submission._klusheeren_kept()
                    photos.write({"res_model": equipment._name, "res_id": equipment.id})
                    equipment.message_post(body=body, subtype_xmlid="mail.mt_note", attachment_ids=photos.ids)
                    equipment.activity_schedule(
                        "mail.mail_activity_data_warning",
                        summary=env._("Fault report %(number)s: make the ticket by hand", number=submission.number),
                        note=body,
                        user_id=submission._klusheeren_job_responsible().id,
                    )
            except Exception as error:
                _logger.warning("%s: report %s: the back office could not be told: %s", job_label, submission.id, error)
