import threading
import uuid

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.klusheeren_portal.models.klusheeren_report_attempt import address_key


@tagged("post_install", "-at_install")
class TestRateLimit(TransactionCase):
    def test_addresses_are_grouped_as_the_limit_counts_them(self):
        self.assertEqual(address_key("203.0.113.7"), "addr:203.0.113.7")
        self.assertEqual(address_key("::ffff:203.0.113.7"), "addr:203.0.113.7")
        self.assertEqual(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "one /64 is one reporter",
        )
        self.assertNotEqual(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"))
        self.assertEqual(address_key("2001:db8:1:2::1"), "addr:2001:db8:1:2::/64")
        self.assertEqual(address_key("not an address" * 20), "addr:" + ("not an address" * 20)[:64])

    def test_two_requests_at_once_never_both_pass(self):
        """Two transactions (two workers, or two Odoo nodes) count the same address at the same
        time: the second waits for the first and then fails to serialize, as Odoo's retry of a
        request expects; retried, it sees the first one's report. No check-then-insert race."""
        key = f"addr:test-{uuid.uuid4()}"
        Attempt = "klusheeren.report.attempt"
        result = {}
        try:
            with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                # both transactions have their snapshot before either counts
                cr1.execute("SELECT 1")
                cr2.execute("SELECT 1")
                self.assertEqual(env1[Attempt]._klusheeren_count(key, 10), 1)

                def second():
                    try:
                        result["count"] = env2[Attempt]._klusheeren_count(key, 10)
                    except pg_errors.SerializationFailure:
                        result["error"] = "serialization failure"

                thread = threading.Thread(target=second)
                thread.start()
                thread.join(2)
                self.assertTrue(thread.is_alive(), "the second request waits for the first")
                cr1.commit()
                thread.join(30)
                self.assertFalse(thread.is_alive())
                self.assertEqual(result, {"error": "serialization failure"})
                cr2.rollback()
            with self.registry.cursor() as cr3:
                retried = api.Environment(cr3, SUPERUSER_ID, {})[Attempt]._klusheeren_count(key, 10)
                self.assertEqual(retried, 2, "the retried request counts after the first")
                cr3.rollback()
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM klusheeren_report_attempt WHERE key = %s", [key])
