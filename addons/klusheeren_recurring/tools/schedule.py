"""Due dates of a recurring job: pure calendar arithmetic on dates (no times, so no DST).

Every due date is computed from the start date and its index ``k`` (``start + k × interval``),
never from the previous due date: a job that starts on 31 January is due on 28 (29) February
and again on 31 March, without drifting to the 28th. ``dateutil.relativedelta`` clamps to the
end of a short month and handles leap years; weekday rules ("the 2nd Tuesday", "the last
Friday") are relativedelta's ``weekday=TU(2)`` / ``FR(-1)``. ``rrule`` is not used for the
months: its ``bymonthday=31`` skips the months without a 31st instead of clamping.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as rd_weekday

UNITS = {"days": "days", "weeks": "weeks", "months": "months", "years": "years"}


def step(interval_type, n):
    """``n`` intervals as a relativedelta."""
    return relativedelta(**{UNITS[interval_type]: n})


def _nth(rule, k):
    """The k-th candidate date (k >= 0), before the "not before the start" filter."""
    start = rule["start"]
    n = rule["interval_number"]
    kind = rule["interval_type"]
    mode = rule.get("day_mode") or "start"
    if kind == "days":
        return start + timedelta(days=k * n)
    if kind == "weeks":
        anchor = start
        if mode == "weekday" and rule.get("weekday") is not None:
            anchor = start + relativedelta(weekday=int(rule["weekday"]))
        return anchor + timedelta(weeks=k * n)
    base = start + relativedelta(**{kind: k * n})
    if mode == "month_day" and rule.get("month_day"):
        return base + relativedelta(day=int(rule["month_day"]))
    if mode == "weekday" and rule.get("weekday") is not None:
        week = int(rule.get("week_number") or 1)
        wd = rd_weekday(int(rule["weekday"]))
        if week < 0:
            return base + relativedelta(day=31, weekday=wd(-1))
        return base + relativedelta(day=1, weekday=wd(week))
    return base


def _approx_index(rule, day):
    """A k whose candidate lies at or before ``day`` (to start iterating near it)."""
    start = rule["start"]
    n = rule["interval_number"]
    kind = rule["interval_type"]
    if day <= start:
        return 0
    if kind == "days":
        k = (day - start).days // n
    elif kind == "weeks":
        k = (day - start).days // (7 * n)
    elif kind == "months":
        k = ((day.year - start.year) * 12 + day.month - start.month) // n
    else:
        k = (day.year - start.year) // n
    return max(0, k - 1)


def due_dates(rule, date_from, date_to):
    """``[(index, date)]`` of the due dates in ``[date_from, date_to]``.

    ``rule``: ``start``, ``interval_number`` (>= 1), ``interval_type`` (days/weeks/months/years),
    optional ``day_mode`` (start/month_day/weekday), ``month_day`` (1-31, clamped to the
    month's end), ``weekday`` (0 = Monday), ``week_number`` (1-4, or -1 for the last),
    ``date_end``, ``count``. ``index`` counts the due dates from the start (0 = the first),
    which is what ``count`` limits.
    """
    start = rule["start"]
    skip_first = _nth(rule, 0) < start  # e.g. "on the 5th" with a start on the 20th
    date_end = rule.get("date_end")
    count = rule.get("count")
    result = []
    k = _approx_index(rule, max(date_from, start))
    while True:
        day = _nth(rule, k)
        index = k - skip_first
        if (date_end and day > date_end) or (count and index >= count) or day > date_to:
            return result
        if index >= 0 and day >= date_from and day >= start:
            result.append((index, day))
        k += 1
