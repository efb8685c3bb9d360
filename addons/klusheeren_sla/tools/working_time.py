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


# The working time of the calendars, shared by the requests and jobs of this process: a new report
# computes two or three deadlines, and reading 120 days of a calendar's attendances and leaves
# (``_work_intervals_batch``) was a fifth of a report's server time. Odoo's ``ormcache`` is not
# used: it is cleared by code that knows what changed, and a calendar's working time changes with
# its attendances and its leaves (public holidays), written by any module. Instead each use
# compares the calendar's *signature*: a digest of the rows the intervals are made of, the
# calendar, its attendances and the leaves that apply to it (its own and the global ones, of no
# resource), read in one query. A change of any of them, committed or not, is a new signature.
# {(database, calendar id): (signature, WorkingTime)}; as many entries as calendars.
SHARED = {}
# a shared span reaches this far beyond what was asked, so that later deadlines fall inside it
SHARED_MARGIN = timedelta(days=30)
SIGNATURE_SQL = """
    SELECT md5(concat_ws('|', c::text,
               (SELECT string_agg(a::text, ';' ORDER BY a.id)
                  FROM resource_calendar_attendance a WHERE a.calendar_id = c.id),
               (SELECT string_agg(l::text, ';' ORDER BY l.id)
                  FROM resource_calendar_leaves l
                 WHERE l.resource_id IS NULL AND (l.calendar_id = c.id OR l.calendar_id IS NULL))))
      FROM resource_calendar c
     WHERE c.id = %s
"""


def shared(env, calendar_id, date_from, date_to):
    """The working time of calendar ``calendar_id`` covering ``date_from``..``date_to`` (naive UTC),
    computed once per process as long as the calendar's signature stays the same. The caller
    flushes first (the signature is read with SQL)."""
    env.cr.execute(SIGNATURE_SQL, [calendar_id])
    row = env.cr.fetchone()
    signature = row and row[0]
    key = (env.cr.dbname, calendar_id)
    found = SHARED.get(key)
    if found and found[0] == signature:
        working = found[1]
        if working.date_from <= date_from and date_to <= working.date_to:
            return working
        date_from = min(date_from, working.date_from)
        date_to = max(date_to, working.date_to)
    calendar = env["resource.calendar"].browse(calendar_id).sudo()
    working = WorkingTime.from_calendar(calendar, date_from, date_to + SHARED_MARGIN)
    SHARED[key] = (signature, working)
    return working
