import threading
import uuid

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

    def test_concurrent_counts_are_exact_and_hold_no_transaction(self):
        """Requests (workers, or Odoo nodes) count the same address at once: every one gets its
        own total, none is lost, none waits for another request's transaction to end and none
        fails it. The counter commits on its own: a request still open, or rolled back, has
        counted. Real connections, committed, cleaned up afterwards."""
        key = f"addr:test-{uuid.uuid4()}"
        Attempt = "klusheeren.report.attempt"
        totals, errors = [], []
        try:
            with self.registry.cursor() as cr1:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                # a request that counted and then keeps its transaction open (a slow upload)
                self.assertEqual(env1[Attempt]._klusheeren_count(key, 10), 1)
                env1.cr.execute("SELECT 1")
                barrier = threading.Barrier(8)
                # cursors and environments made here: Odoo's runner holds the registry's lock
                # in this thread while the tests run, and an Environment built in another would wait
                crs = [self.registry.cursor() for _ in range(8)]
                envs = iter([api.Environment(cr, SUPERUSER_ID, {}) for cr in crs])

                def other_request(env):
                    try:
                        barrier.wait(10)
                        totals.append(env[Attempt]._klusheeren_count(key, 10))
                        env.cr.rollback()  # the request fails afterwards: its count stays
                    except Exception as error:
                        errors.append(error)
                    finally:
                        env.cr.close()

                threads = [threading.Thread(target=other_request, args=(next(envs),)) for _ in range(8)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
                self.assertFalse(any(t.is_alive() for t in threads), "nobody waits for the open request")
                self.assertEqual(errors, [])
                self.assertEqual(sorted(totals), list(range(2, 10)), "every count exact, none lost")
                cr1.rollback()
            with self.registry.cursor() as cr3:
                self.assertEqual(api.Environment(cr3, SUPERUSER_ID, {})[Attempt]._klusheeren_count(key, 10), 10)
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM klusheeren_report_attempt WHERE key = %s", [key])
