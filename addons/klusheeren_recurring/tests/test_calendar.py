from datetime import date, datetime, timedelta

from odoo.tests import tagged

from ..tools.schedule import due_dates
from .common import KlusheerenRecurringCase


def rule(start, n=1, unit="months", **kw):
    return {"start": start, "interval_number": n, "interval_type": unit, **kw}


@tagged("post_install", "-at_install")
class TestCalendar(KlusheerenRecurringCase):
    def test_month_ends_never_drift(self):
        got = [str(d) for _i, d in due_dates(rule(date(2027, 1, 31)), date(2027, 1, 1), date(2028, 3, 31))]
        self.assertEqual(got[:4], ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        self.assertEqual(got[-3:], ["2028-01-31", "2028-02-29", "2028-03-31"], "leap year February")
        # "on the 31st" is the last day of every month
        got = due_dates(rule(date(2027, 1, 1), day_mode="month_day", month_day=31), date(2027, 1, 1), date(2027, 4, 30))
        self.assertEqual([str(d) for _i, d in got], ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])

    def test_leap_day_yearly(self):
        got = due_dates(rule(date(2028, 2, 29), unit="years"), date(2028, 1, 1), date(2033, 1, 1))
        self.assertEqual(
            [str(d) for _i, d in got],
            ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"],
        )

    def test_weekdays_ends_and_counts(self):
        # the second Tuesday of every month; the first one before the start does not count
        got = due_dates(
            rule(date(2027, 1, 20), day_mode="weekday", weekday="1", week_number="2", count=3),
            date(2027, 1, 1),
            date(2028, 1, 1),
        )
        self.assertEqual(got, [(0, date(2027, 2, 9)), (1, date(2027, 3, 9)), (2, date(2027, 4, 13))])
        # the last Friday of the quarter's month
        got = due_dates(
            rule(date(2027, 1, 1), n=3, day_mode="weekday", weekday="4", week_number="-1"),
            date(2027, 1, 1),
            date(2027, 12, 31),
        )
        self.assertEqual([str(d) for _i, d in got], ["2027-01-29", "2027-04-30", "2027-07-30", "2027-10-29"])
        # every 2 weeks on Monday, until an end date; a window far from the start keeps the index
        got = due_dates(
            rule(date(2027, 1, 20), n=2, unit="weeks", day_mode="weekday", weekday="0", date_end=date(2027, 3, 22)),
            date(2027, 3, 1),
            date(2027, 12, 31),
        )
        self.assertEqual(got, [(3, date(2027, 3, 8)), (4, date(2027, 3, 22))])
        got = due_dates(rule(date(2027, 1, 1), n=10, unit="days"), date(2027, 12, 20), date(2027, 12, 31))
        self.assertEqual(got, [(36, date(2027, 12, 27))])

    def test_frozen_time_across_month_end_and_leap_day(self):
        """A monthly job from 31 January, run every day from January to April 2028: one work order
        per month, on 31 Jan, 29 Feb (leap year), 31 Mar, 30 Apr, each made 7 days ahead."""
        job = self.make_job(date_start="2028-01-31", horizon_days=90)
        self.assertEqual(job.lead_days, 7, "the default lead time of a monthly job")
        for day in range(100):  # the daily job, every morning from 20 January to 28 April
            self.run_at(datetime(2028, 1, 20, 6) + timedelta(days=day), job)
        orders = self.WorkOrder.search([("recurring_job_id", "=", job.id)], order="planned_date")
        self.assertEqual(
            [str(d) for d in orders.mapped("planned_date")],
            ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"],
        )
        self.assertEqual(
            [str(d.date()) for d in orders.mapped("date_sent")],
            ["2028-01-24", "2028-02-22", "2028-03-24", "2028-04-23"],
        )
        self.assertEqual(len(orders.ticket_id), 4)

    def test_company_time_zone_and_dst(self):
        """ "Today" is the company's: the work order of a job due 4 April 2027 with 7 days of lead
        time is made once 28 March has begun in Amsterdam (the night the clocks go forward), not
        at midnight UTC; and in autumn, when they go back, at local midnight again."""
        job = self.make_job(date_start="2027-04-04", interval_number=1, interval_type="years")
        job.lead_days = 7
        self.run_at("2027-03-27 22:59:00", job)  # 23:59 CET on the 27th
        self.assertFalse(self.WorkOrder.search([("recurring_job_id", "=", job.id)]))
        self.run_at("2027-03-27 23:01:00", job)  # 00:01 CET on the 28th, in UTC still the 27th
        order = self.WorkOrder.search([("recurring_job_id", "=", job.id)])
        self.assertEqual(str(order.planned_date), "2027-04-04")
        # autumn: due 7 November, made on 31 October (clocks back at 03:00 CEST = 01:00 UTC)
        autumn = self.make_job(date_start="2027-11-07", interval_type="years", name="Herfst")
        autumn.lead_days = 7
        self.run_at("2027-10-30 21:59:00", autumn)  # 23:59 CEST on the 30th
        self.assertFalse(self.WorkOrder.search([("recurring_job_id", "=", autumn.id)]))
        self.run_at("2027-10-30 22:01:00", autumn)  # 00:01 CEST on the 31st
        self.assertTrue(self.WorkOrder.search([("recurring_job_id", "=", autumn.id)]))
        # a weekly job across both changes keeps its weekday: due dates are dates, not instants
        weekly = self.make_job(
            name="Wekelijks",
            date_start="2027-03-22",
            interval_type="weeks",
            day_mode="weekday",
            weekday="0",
            horizon_days=300,
        )
        self.run_at("2027-03-20 10:00:00", weekly)
        days = weekly.occurrence_ids.mapped("due_date")
        self.assertEqual({d.weekday() for d in days}, {0})
        self.assertIn(date(2027, 3, 29), days)
        self.assertIn(date(2027, 11, 1), days)
        # another company time zone: New York is still on the 27th at 23:01 UTC
        self.env.company.partner_id.tz = "America/New_York"
        ny = self.make_job(name="New York", date_start="2027-04-04", interval_type="years")
        ny.lead_days = 7
        self.run_at("2027-03-27 23:01:00", ny)
        self.assertFalse(self.WorkOrder.search([("recurring_job_id", "=", ny.id)]))
