"""Working time of a resource calendar, precomputed once for a span of dates.

Odoo answers one question at a time (``resource.calendar.plan_hours``, ``get_work_hours_count``):
each call reads the calendar's attendances and leaves again, which takes milliseconds, so a
hundred thousand deadlines would take minutes. Here the calendar's work intervals (attendances
minus leaves, as ``_work_intervals_batch`` gives them, in the calendar's time zone) are read once
and numbered: a moment in time gets its *position*, the working seconds since the start of the
span, and a position gets its moment back by bisection. Adding working hours to a moment, or
counting the working hours between two moments, is then two lookups.

All datetimes are naive UTC, as Odoo stores them.
"""

from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta

import pytz

# work intervals closer than this are one (Odoo ends a day at 23:59:59.999999)
GAP = 1.0
EPOCH = datetime(1970, 1, 1)


def _seconds(moment):
    return (moment - EPOCH).total_seconds()


class WorkingTime:
    def __init__(self, intervals):
        """``intervals``: (start, end) pairs of naive UTC datetimes, sorted, not overlapping."""
        self.starts, self.ends, self.cumul = [], [], []
        total = 0.0
        for start, end in intervals:
            # whole seconds (Odoo ends a day at 23:59:59.999999: the end of the day)
            start, end = round(_seconds(start)), round(_seconds(end))
            if end <= start:
                continue
            if self.ends and start - self.ends[-1] <= GAP:
                total += end - self.ends[-1]
                self.ends[-1] = end
                continue
            self.starts.append(start)
            self.ends.append(end)
            self.cumul.append(total)
            total += end - start
        self.total = total

    @classmethod
    def from_calendar(cls, calendar, date_from, date_to):
        """The work intervals of ``calendar`` (with its leaves) from ``date_from`` to ``date_to``
        (naive UTC), widened to whole days."""
        start = pytz.utc.localize(datetime.combine(date_from.date() - timedelta(days=1), time.min))
        end = pytz.utc.localize(datetime.combine(date_to.date() + timedelta(days=2), time.min))
        found = calendar._work_intervals_batch(start, end)[False]
        intervals = sorted(
            (a.astimezone(pytz.utc).replace(tzinfo=None), b.astimezone(pytz.utc).replace(tzinfo=None))
            for a, b, _meta in found
        )
        working = cls(intervals)
        working.date_from, working.date_to = start.replace(tzinfo=None), end.replace(tzinfo=None)
        return working

    def position(self, moment):
        """Working seconds from the start of the span to ``moment``."""
        t = _seconds(moment)
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.cumul[i] + min(t, self.ends[i]) - self.starts[i]

    def moment(self, position):
        """The moment the ``position``-th working second is reached (the end of a working
        period rather than the start of the next one); None beyond the span."""
        if not self.starts or position > self.total:
            return None
        if position <= 0:
            return EPOCH + timedelta(seconds=round(self.starts[0]))
        i = bisect_left(self.cumul, position) - 1
        return EPOCH + timedelta(seconds=round(self.starts[i] + position - self.cumul[i]))

    def hours_between(self, start, end):
        """Working hours from ``start`` to ``end`` (0 when ``end`` is not later)."""
        return max(0.0, self.position(end) - self.position(start)) / 3600.0

    def add_hours(self, start, hours):
        """The moment ``hours`` working hours after ``start``."""
        return self.moment(self.position(start) + hours * 3600.0)
