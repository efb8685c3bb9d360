from odoo.tests import tagged

from .common import KlusheerenPortalCase

URL = "/my/work-orders/statistics"


@tagged("post_install", "-at_install")
class TestStatisticsPage(KlusheerenPortalCase):
    """/my/work-orders/statistics: a contractor's login sees its own figures only (the report's
    record rule, read as the user); other logins and visitors are refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.new_report().work_order_ids
        cls.mine.action_accept()
        cls.mine.sudo().contractor_save({"amount_total": 123.45})
        cls.mine.sudo().action_done()
        cls.theirs = cls.new_report(cls.other_equipment).work_order_ids
        cls.theirs.action_accept()
        cls.theirs.sudo().contractor_save({"amount_total": 9876.54})
        cls.theirs.sudo().action_done()
        cls.env["klusheeren.ticket.report"]._klusheeren_refresh()
        # English page: amounts as 1,234.56 and links without a language prefix
        (cls.contractor_user | cls.customer_user).lang = "en_US"
        Report = cls.env["klusheeren.ticket.report"]
        cls.my_count = Report.search_count([("contractor_id", "=", cls.contractor.id)])
        cls.my_cost = sum(Report.search([("contractor_id", "=", cls.contractor.id)]).mapped("cost"))

    def test_the_contractor_sees_its_own_figures(self):
        self.authenticate("kh_jansen", "kh_jansen_pw1")
        # the website's pages in English, whatever its default language (Dutch for a Dutch operator)
        self.opener.cookies.set("frontend_lang", "en_US")
        listing = self.url_open("/my/work-orders")
        self.assertIn("o_klusheeren_statistics_link", listing.text, "the list links to the figures")
        self.assertIn(URL, listing.text)
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_klusheeren_statistics_row", page)
        self.assertIn("123.45", page)
        self.assertNotIn("9,876.54", page, "another contractor's cost stays out")
        self.assertNotIn("9876.54", page)
        self.assertIn(f"{self.my_cost:,.2f}", page, "the total is the contractor's own")
        self.assertGreaterEqual(self.my_count, 1)
        # the month's count as the record rule gives it, as the contractor's login reads it
        Report = self.env["klusheeren.ticket.report"].with_user(self.contractor_user)
        self.assertEqual(Report.search_count([]), Report.search_count([("contractor_id", "=", self.contractor.id)]))
        self.assertNotIn(self.theirs.ticket_id, Report.search([]).ticket_id)
        # a constant number of queries, whatever the number of rows
        self.assertLessEqual(self.hot_query_count(URL), 25)

    def test_others_are_refused(self):
        Report = self.env["klusheeren.ticket.report"]
        before = Report.search_count([])
        # a visitor goes to the login page
        self.authenticate(None, None)
        response = self.url_open(URL)  # (possibly by way of the page's URL in the visitor's language)
        self.assertIn("/web/login", response.url)
        # a customer's login: refused with a message, nothing of a contractor shown
        self.authenticate("kh_klant", "kh_klant_pw1")
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 403)
        self.assertIn("o_klusheeren_statistics_denied", response.text)
        self.assertNotIn("o_klusheeren_statistics_row", response.text)
        self.assertNotIn("123.45", response.text)
        listing = self.url_open("/my")
        self.assertNotIn("o_klusheeren_statistics_link", listing.text)
        # read only: a POST is not a way in either
        self.authenticate("kh_jansen", "kh_jansen_pw1")
        response = self.url_open(URL, data={"csrf_token": self.csrf("/web/login")})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(Report.search_count([]), before, "nothing changed")
