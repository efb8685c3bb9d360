from datetime import datetime

from odoo.tests import tagged

from odoo.addons.klusheeren_sla.tools.working_time import WorkingTime, shared

from .common import T0, KlusheerenSlaCase


@tagged("post_install", "-at_install")
class TestWorkingTime(KlusheerenSlaCase):
    def working(self, calendar=None):
        return WorkingTime.from_calendar(calendar or self.working_days, datetime(2026, 12, 1), datetime(2027, 1, 31))

    def test_weekend_does_not_count(self):
        working = self.working()
        friday = datetime(2026, 12, 18, 15, 0)  # 16:00 in Amsterdam
        self.assertEqual(working.add_hours(friday, 24), datetime(2026, 12, 21, 15, 0))
        self.assertEqual(working.hours_between(friday, datetime(2026, 12, 21, 15, 0)), 24.0)
        # Saturday to Monday morning: nothing
        self.assertEqual(working.hours_between(datetime(2026, 12, 19, 10), datetime(2026, 12, 20, 22, 59)), 0.0)

    def test_holiday_does_not_count(self):
        working = self.working()
        thursday = datetime(2026, 12, 24, 9, 0)  # 10:00, the day before Kerstmis
        # Friday 25 (holiday), Saturday 26 (holiday) and Sunday 27 are skipped
        self.assertEqual(working.add_hours(thursday, 24), datetime(2026, 12, 28, 9, 0))
        # five working days from Monday 21 December 10:00: Tuesday 29 December 10:00
        self.assertEqual(working.add_hours(T0, 120), datetime(2026, 12, 29, 9, 0))
        self.assertEqual(working.hours_between(T0, datetime(2026, 12, 29, 9, 0)), 120.0)
        # a deadline falling on the end of a working period is that end, not the next morning
        self.assertEqual(working.add_hours(thursday, 14), datetime(2026, 12, 24, 23, 0))

    def test_around_the_clock_counts_everything(self):
        working = self.working(self.around_the_clock)
        self.assertEqual(working.add_hours(datetime(2026, 12, 24, 9, 0), 24), datetime(2026, 12, 25, 9, 0))
        self.assertEqual(working.hours_between(datetime(2026, 12, 26, 9), datetime(2026, 12, 27, 9)), 24.0)

    def test_daylight_saving_time(self):
        """A working day is a day in Amsterdam, whatever UTC makes of it."""
        working = WorkingTime.from_calendar(self.working_days, datetime(2027, 10, 20), datetime(2027, 11, 10))
        # Friday 29 October 2027 10:00 CEST + 24 working hours: Monday 1 November 10:00 CET (the
        # clocks went back on Sunday 31 October)
        self.assertEqual(working.add_hours(datetime(2027, 10, 29, 8, 0), 24), datetime(2027, 11, 1, 9, 0))

    def test_shared_until_the_calendar_changes(self):
        """The requests of a process share a calendar's working time, and a change of its
        attendances or its holidays (even in the same transaction) is seen at once."""
        calendar = self.working_days
        span = (datetime(2026, 12, 1), datetime(2027, 1, 31))
        first = shared(self.env, calendar.id, *span)
        self.assertIs(shared(self.env, calendar.id, *span), first, "computed once")
        self.assertIs(shared(self.env, calendar.id, datetime(2026, 12, 10), datetime(2027, 1, 5)), first)
        monday = datetime(2027, 1, 4, 9, 0)  # 10:00 in Amsterdam
        self.assertEqual(first.add_hours(monday, 24), datetime(2027, 1, 5, 9, 0))
        # a new global holiday on Tuesday 5 January
        self.env["resource.calendar.leaves"].create(
            {"name": "Sluiting", "date_from": datetime(2027, 1, 4, 23, 0), "date_to": datetime(2027, 1, 5, 23, 0)}
        )
        self.env.flush_all()
        second = shared(self.env, calendar.id, *span)
        self.assertIsNot(second, first)
        self.assertEqual(second.add_hours(monday, 24), datetime(2027, 1, 6, 9, 0))
        # Wednesdays off: the attendances changed in the same transaction
        calendar.attendance_ids.filtered(lambda a: a.dayofweek == "2").unlink()
        self.env.flush_all()
        third = shared(self.env, calendar.id, *span)
        self.assertIsNot(third, second)
        self.assertEqual(third.add_hours(monday, 24), datetime(2027, 1, 7, 9, 0))
