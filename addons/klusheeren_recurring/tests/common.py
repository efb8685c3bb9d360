from freezegun import freeze_time

from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase


class KlusheerenRecurringCase(KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["ir.module.module"]._load_module_terms(["klusheeren_recurring"], ["nl_NL"], overwrite=True)
        cls.env.company.partner_id.tz = "Europe/Amsterdam"
        cls.Job = cls.env["klusheeren.recurring.job"]
        cls.Occurrence = cls.env["klusheeren.recurring.occurrence"]
        cls.planned_channel = cls.env.ref("klusheeren_recurring.helpdesk_ticket_channel_planned")
        # the demo's jobs stay out of the way of these tests
        cls.Job.search([]).with_context(klusheeren_no_replan=True).write({"state": "paused"})

    def make_job(self, **vals):
        values = {
            "name": "Koelkast reinigen",
            "scope": "equipment",
            "equipment_ids": [(6, 0, self.equipment.ids)],
            "interval_number": 1,
            "interval_type": "months",
            "user_id": self.backoffice.id,
            "instructions": "<p>Sleutel bij de receptie.</p>",
        }
        values.update(vals)
        return self.Job.create(values)

    def run_at(self, when, jobs):
        with freeze_time(when):
            jobs._klusheeren_run()
        return jobs.occurrence_ids.sorted("due_date")

    def dates(self, occurrences):
        return [str(o.due_date) for o in occurrences.sorted("due_date")]
