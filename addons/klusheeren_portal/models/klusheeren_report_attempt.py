import ipaddress
from datetime import datetime, timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.sql_db import Cursor

from odoo.addons.klusheeren_base.tools.settings import read as read_setting

EPOCH = datetime(1970, 1, 1)  # naive UTC, as Odoo stores datetimes


def address_key(address):
    """The unit the rate limit counts: an IPv4 address, or an IPv6 /64 (one household or phone
    gets a whole /64: counting single IPv6 addresses would not limit anyone)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return f"addr:{(address or 'unknown')[:64]}"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return f"addr:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"addr:{ip}"


class KlusheerenReportAttempt(models.Model):
    """Counters of fault reports sent through the public QR form (and of other public
    actions), per address and per sticker, for the rate limit: one row per key and time window.

    Counting is one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per key, in a short
    transaction of its own (a second cursor, READ COMMITTED, committed at once): exact under
    concurrency and over several Odoo nodes, as PostgreSQL holds the row lock only for the
    statement, and it never holds nor fails the request's own transaction (concurrent reports
    from one office or on one sticker do not serialize on the counter, nor re-process their
    uploads in Odoo's retries). A report that fails later is still counted, as an attempt.
    In registry test mode (HttpCase) the second cursor is the test's own cursor, rolled back
    with the test. Windows are fixed (e.g. 10:00-10:10): at a boundary at most twice the limit
    passes.
    """

    _name = "klusheeren.report.attempt"
    _description = "QR Report Rate Counter"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True, index=True)
    count = fields.Integer(required=True, default=0, readonly=True)

    _key_window_unique = models.Constraint("UNIQUE(key, window_start)", "One counter per key and window.")

    @api.model
    def _limits(self):
        return (
            read_setting(self.env, "klusheeren_portal.rate_limit_per_address"),
            read_setting(self.env, "klusheeren_portal.rate_limit_address_minutes"),
            read_setting(self.env, "klusheeren_portal.rate_limit_per_sticker"),
            read_setting(self.env, "klusheeren_portal.rate_limit_sticker_minutes"),
        )

    @api.model
    def _klusheeren_count(self, key, minutes):
        """Add one to the counter of ``key`` in the current window of ``minutes``; the total."""
        with self._klusheeren_counter_cursor() as cr:  # committed when the block ends
            return self._klusheeren_add(cr, key, minutes)

    @api.model
    def _klusheeren_allow(self, address, sticker):
        """Count one report from ``address`` on ``sticker``; False when over a limit (the
        address is counted even then; the sticker only when the address may report)."""
        per_address, address_minutes, per_sticker, sticker_minutes = self._limits()
        with self._klusheeren_counter_cursor() as cr:  # both counts in one short transaction
            if self._klusheeren_add(cr, address_key(address), address_minutes) > per_address:
                return False
            return self._klusheeren_add(cr, f"sticker:{sticker.id}", sticker_minutes) <= per_sticker

    def _klusheeren_counter_cursor(self):
        """A cursor of its own for the counters, whatever the request does next."""
        cr = self.env.registry.cursor()
        if isinstance(cr, Cursor):  # a real connection (not the TestCursor of a test)
            # READ COMMITTED: a concurrent increment is waited for and added to, never a
            # serialization failure (this cursor's connection is reset when borrowed again)
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        return cr

    @staticmethod
    def _klusheeren_add(cr, key, minutes):
        minutes = max(int(minutes), 1)
        elapsed = int((fields.Datetime.now() - EPOCH).total_seconds() // 60)
        start = EPOCH + timedelta(minutes=elapsed - elapsed % minutes)
        cr.execute(
            """
            INSERT INTO klusheeren_report_attempt (key, window_start, count)
                 VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start) DO UPDATE
                    SET count = klusheeren_report_attempt.count + 1
              RETURNING count
            """,
            [key, start],
        )
        return cr.fetchone()[0]

    @api.autovacuum
    def _gc_attempts(self):
        self.env.cr.execute(
            "DELETE FROM klusheeren_report_attempt WHERE window_start < %s",
            [fields.Datetime.now() - timedelta(days=1)],
        )
