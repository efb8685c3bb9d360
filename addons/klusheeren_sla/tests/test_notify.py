from unittest.mock import patch

from odoo.tests import tagged

from .common import HOUR, T0, KlusheerenSlaCase


@tagged("post_install", "-at_install")
class TestWarningAndEscalation(KlusheerenSlaCase):
    def activities(self, record, kind):
        xmlid = "klusheeren_sla.mail_activity_type_sla_" + ("warning" if kind == "Deadline near" else "escalation")
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def notes(self, record, text):
        """The chatter notes naming the deadline (its time in Amsterdam, in any language)."""
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_warning_then_escalation_once_each(self):
        ticket, order = self.new_report()
        order.user_id = self.backoffice
        accept = self.clock(order, "accept")
        # 75 % of 24 working hours: Tuesday 04:00 in Amsterdam
        self.assertEqual(accept.date_warning, T0 + 18 * HOUR)
        self.run_job(T0 + 17 * HOUR)
        self.assertFalse(self.activities(order, "Deadline near"))
        for hours in (19, 20):
            self.run_job(T0 + hours * HOUR)
            warning = self.activities(order, "Deadline near")
            self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.backoffice, "the order's responsible")
        self.assertTrue(accept.warned)
        self.assertEqual(order.klusheeren_sla_status, "warning")
        self.assertFalse(self.activities(order, "Escalation"))
        for hours in (25, 26):
            self.run_job(T0 + hours * HOUR)
            escalation = self.activities(order, "Escalation")
            self.assertEqual(len(escalation), 1)
            self.assertEqual(len(self.notes(order, "22-12-2026 10:00")), 1)
        self.assertEqual(escalation.user_id, self.manager, "the team leader")
        self.assertEqual(accept.state, "late")
        self.assertTrue(accept.escalated)
        # the ticket's own deadline (5 working days) is not near yet
        self.assertFalse(self.activities(ticket, "Deadline near"))

    def test_escalation_without_warning_when_the_job_was_down(self):
        _ticket, order = self.new_report()
        self.run_job(T0 + 30 * HOUR)
        self.assertEqual(len(self.activities(order, "Escalation")), 1)
        self.assertFalse(self.activities(order, "Deadline near"), "no warning after the escalation")
        self.run_job(T0 + 31 * HOUR)
        self.assertFalse(self.activities(order, "Deadline near"))

    def test_a_failing_clock_is_retried_alone(self):
        _ticket, order = self.new_report()
        _ticket2, other = self.new_report()
        clock = self.clock(order, "accept")
        original = type(self.Clock)._klusheeren_escalate

        def escalate(records):
            if records == clock:
                raise ValueError("kapot")
            return original(records)

        with patch.object(type(self.Clock), "_klusheeren_escalate", escalate):
            self.run_job(T0 + 30 * HOUR)
        self.assertEqual(len(self.activities(other, "Escalation")), 1)
        self.assertFalse(self.activities(order, "Escalation"))
        self.assertEqual(clock.klusheeren_job_failures, 1)
        self.assertFalse(clock.escalated)
