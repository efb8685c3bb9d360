from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import freeze_time

from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase

# Monday 21 December 2026, 10:00 in Amsterdam (CET, UTC+1); Friday 25 and Saturday 26 are
# public holidays (Kerstmis), the 26th and 27th a weekend
T0 = datetime(2026, 12, 21, 9, 0)
HOUR = timedelta(hours=1)


class KlusheerenSlaCase(KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Clock = cls.env["klusheeren.sla.clock"]
        cls.working_days = cls.env.ref("klusheeren_sla.calendar_working_days")
        cls.around_the_clock = cls.env.ref("klusheeren_sla.calendar_around_the_clock")
        # Kerstmis as the demo has it (the tests do not rely on the demo's data)
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Eerste en Tweede Kerstdag",
                "calendar_id": cls.working_days.id,
                "date_from": datetime(2026, 12, 24, 23, 0),
                "date_to": datetime(2026, 12, 26, 23, 0),
                "time_type": "leave",
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Nieuwjaarsdag",
                "calendar_id": cls.working_days.id,
                "date_from": datetime(2026, 12, 31, 23, 0),
                "date_to": datetime(2027, 1, 1, 23, 0),
                "time_type": "leave",
            }
        )
        # the team leader gets the escalations; both read times in Amsterdam
        cls.team.user_id = cls.manager
        (cls.manager | cls.backoffice).write({"tz": "Europe/Amsterdam"})

    @contextmanager
    def at(self, when):
        """Time stands still at ``when`` (UTC), for Python and for the ORM's transaction time
        (``cr.now()``: create dates)."""
        with freeze_time(when), patch.object(self.env.cr, "now", lambda: when):
            yield

    def maintain(self, when):
        with self.at(when):
            self.Clock._klusheeren_maintain(None)

    def run_job(self, when):
        with self.at(when):
            self.Clock._cron_maintain()

    def new_report(self, when=T0, **kw):
        with self.at(when):
            ticket = self.report(**kw)
        return ticket, ticket.work_order_ids

    def clock(self, record, kind):
        if record._name == "helpdesk.ticket":
            domain = [("ticket_id", "=", record.id), ("work_order_id", "=", False)]
        else:
            domain = [("work_order_id", "=", record.id)]
        return self.Clock.search(domain + [("kind", "=", kind)])
