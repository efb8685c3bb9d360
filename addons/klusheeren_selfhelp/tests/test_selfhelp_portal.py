from odoo.tests import new_test_user, tagged

from .common import KlusheerenSelfhelpCase


@tagged("post_install", "-at_install")
class TestSelfhelpPortal(KlusheerenSelfhelpCase):
    """The company portal's knowledge base: the articles of the equipment at the user's company's sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer_user = new_test_user(
            cls.env, login="kh_klant2", password="kh_klant2_pw1", groups="base.group_portal"
        )
        cls.other_customer_user.partner_id.parent_id = cls.other_customer

    def help_page(self, query=""):
        response = self.url_open(f"/my/help{query}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_knowledge_base_of_the_users_company_only(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        html = self.help_page()
        for name in ("Fridge article 1", "Fridge article 4", "Boiler article"):
            self.assertIn(name, html, "all articles of the company's equipment, the fourth too")
        self.assertNotIn("Dishwasher article", html, "another company's equipment")
        self.assertIn("o_klusheeren_selfhelp_article", html)
        self.assertIn("/web/image/document.page/", html)
        self.authenticate("kh_klant2", "kh_klant2_pw1")
        html = self.help_page()
        self.assertIn("Dishwasher article", html)
        self.assertNotIn("Fridge article", html)
        self.assertNotIn("Boiler article", html)

    def test_search(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        html = self.help_page("?search=number 2")
        self.assertIn("Fridge article 2", html)
        self.assertNotIn("Fridge article 1", html)
        html = self.help_page("?search=pressure")
        self.assertIn("Boiler article", html)
        self.assertNotIn("Fridge article", html)
        # another company's article is not found by its words either
        html = self.help_page("?search=filter")
        self.assertNotIn("Dishwasher article", html)
        self.assertIn("o_klusheeren_selfhelp_none", html)
        self.assertEqual(self.url_open("/my/help?search=" + "x" * 5000).status_code, 200)

    def test_home_entry_and_strangers(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["selfhelp_article_count"]})
        self.assertEqual(counters["selfhelp_article_count"], 5)
        self.assertIn('href="/my/help"', self.url_open("/my").text)
        # a contractor's login has no equipment of its own: an empty knowledge base
        self.authenticate("kh_jansen", "kh_jansen_pw1")
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["selfhelp_article_count"]})[
                "selfhelp_article_count"
            ],
            0,
        )
        self.assertNotIn("Fridge article", self.help_page())
        # the public is sent to the login
        self.authenticate(None, None)
        response = self.url_open("/my/help")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("Fridge article", response.text)
