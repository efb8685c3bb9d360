import logging

from odoo.tests import tagged
from odoo.tools import SQL

from .common import KlusheerenPortalCase

BULK = 10_000
_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDataSize(KlusheerenPortalCase):
    """The hot pages cost the same number of SQL queries with ten tickets as with ten thousand.

    The ten thousand are written in bulk with SQL (clones of a real reported ticket, each with its
    sent work order and a chatter message), half of them at the customer's site and for the same
    contractor, so that the company's ticket list and the contractor's work order list hold
    thousands of rows of their own, not only rows elsewhere in the database.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.new_report(description="De koelkast lekt", email="melder@example.com")
        cls.order = cls.ticket.work_order_ids
        cls.ticket._portal_ensure_token()
        cls.order._portal_ensure_token()
        cls.ticket.message_post(body="Wanneer komt de monteur?", message_type="comment")
        for i in range(8):
            cls.new_report(cls.equipment if i % 2 else cls.other_equipment, email=f"melder{i}@example.com")

    def _clone(self, table, source_id, ids_or_count, overrides):
        """Insert clones of row ``source_id`` of ``table``; ``g`` is the clone's number or the id
        it is made for. Returns the new ids in order."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND column_name <> 'id' "
            "ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in self.env.cr.fetchall()]
        series = (
            SQL("generate_series(1, %s) AS g", ids_or_count)
            if isinstance(ids_or_count, int)
            else SQL("unnest(%s::int[]) WITH ORDINALITY AS u(g, n)", list(ids_or_count))
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s AS src, %s WHERE src.id = %s ORDER BY g RETURNING id",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(c) for c in columns),
                SQL(", ").join(SQL(overrides[c]) if c in overrides else SQL.identifier("src", c) for c in columns),
                SQL.identifier(table),
                series,
                source_id,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.invalidate_all()
        return ids

    def _bulk_tickets(self):
        """BULK more tickets: the even ones at the customer's site, the odd ones elsewhere."""
        foreign = self.new_report(self.other_equipment, email="elders@example.com")
        message = self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id)], limit=1
        )
        self.assertTrue(message)
        new_ids = []
        for source in (self.ticket, foreign):
            ids = self._clone(
                "helpdesk_ticket",
                source.id,
                BULK // 2,
                {
                    "number": "'KH-BULK-' || src.id || '-' || g",
                    "name": "src.name || ' #' || g",
                    "access_token": "md5(random()::text || g)",
                    "create_date": "src.create_date - g * interval '1 hour'",
                },
            )
            orders = self._clone(
                "klusheeren_work_order",
                source.work_order_ids.id,
                ids,
                {
                    "ticket_id": "g",
                    "name": "'KH-OC-BULK-' || g",
                    "access_token": "md5(random()::text || g)",
                },
            )
            self._clone("mail_message", message.id, ids, {"res_id": "g"})
            self.assertEqual(len(orders), BULK // 2)
            new_ids += ids
        return new_ids

    def _counts(self):
        pages = {
            "GET /qr/<token>": (None, self.qr_url()),
            "contractor page": (None, self.work_order_url(self.order)),
            "reporter page": (None, self.ticket.get_portal_url()),
            "/my/tickets (customer)": (("kh_klant", "kh_klant_pw1"), "/my/tickets"),
            "/my/work-orders (contractor)": (("kh_jansen", "kh_jansen_pw1"), "/my/work-orders"),
        }
        counts = {}
        for name, (login, url) in pages.items():
            self.authenticate(*login) if login else self.authenticate(None, None)
            counts[name] = self.hot_query_count(url)
        return counts

    def test_hot_pages_cost_the_same_at_ten_and_ten_thousand_tickets(self):
        Ticket = self.env["helpdesk.ticket"].sudo()
        self.assertLess(Ticket.search_count([]), 40)
        small_tickets = Ticket.search_count([])
        small = self._counts()
        self._bulk_tickets()
        self.assertGreaterEqual(Ticket.search_count([]), BULK)
        customer_tickets = Ticket.search_count([("site_id", "=", self.site.id)])
        self.assertGreater(customer_tickets, BULK // 2, "the customer's list holds thousands")
        large = self._counts()
        _logger.info(
            "SQL queries per page at %s and %s tickets: %s",
            small_tickets,
            Ticket.search_count([]),
            {page: (small[page], large[page]) for page in small},
        )
        self.assertEqual(small, large)
        # the customer's list pages through its thousands (20 a page)
        self.authenticate("kh_klant", "kh_klant_pw1")
        self.assertIn("KH-BULK-", self.url_open("/my/tickets?page=50").text)
        # and the pages still show the right record, among thousands of its clones
        self.authenticate(None, None)
        page = self.url_open(self.work_order_url(self.order)).text
        self.assertIn(self.order.name, page)
        self.assertNotIn("KH-OC-BULK-", page)
