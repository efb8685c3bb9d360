from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import KlusheerenSelfhelpCase


@tagged("post_install", "-at_install")
class TestSelfhelpRefusals(KlusheerenSelfhelpCase):
    """Every refusal of "This solved it" is a real HTTP request that leaves the database as it was."""

    def assertRefused(self, response, status, before):
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertEqual(self.state(), before, "nothing recorded")

    def test_rate_limited_like_a_report(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.action_limit_per_link", 2)
        first = self.press()
        self.assertEqual(first.status_code, 303)
        self.assertEqual(self.press().status_code, 303)
        before = self.state()
        response = self.press()
        self.assertRefused(response, 429, before)
        self.assertIn("o_klusheeren_too_many", response.text)
        # a repeat of a press already recorded is answered, not counted
        key = first.headers["Location"].rsplit("/", 1)[1]
        self.assertEqual(self.press(key=key).status_code, 303)
        self.assertEqual(self.state(), before)
        # another sticker has a limit of its own
        self.assertEqual(self.press(equipment=self.equipment_en).status_code, 303)

    def test_foreign_or_unknown_article_refused(self):
        before = self.state()
        for article_id in (
            self.foreign_article.id,  # another category's
            self.boiler_article.id,  # another machine's own
            self.articles[3].id,  # of this category, but not on the form (the fourth)
            999999999,
            "1 OR 1=1",
            "-1",
            "",
        ):
            with self.subTest(article_id=article_id):
                response = self.press(article_id=article_id)
                self.assertRefused(response, 404, before)
                self.assertIn("o_klusheeren_selfhelp_refused", response.text)

    def test_unknown_or_free_sticker_refused(self):
        before = self.state()
        self.assertRefused(self.press(token="x" * 32), 404, before)
        free = self.env["klusheeren.sticker"].create({})
        self.assertRefused(self.press(token=free.token), 404, before)
        retired = self.equipment_none.sticker_id
        self.equipment_none.action_replace_sticker()
        self.assertRefused(self.press(token=retired.token), 404, before)

    def test_key_of_another_sticker_refused(self):
        first = self.press(equipment=self.equipment_en)
        self.assertEqual(first.status_code, 303)
        key = first.headers["Location"].rsplit("/", 1)[1]
        before = self.state()
        self.assertRefused(self.press(key=key), 409, before)

    def test_bad_key_or_missing_csrf_refused(self):
        before = self.state()
        for key in ("", "short", "x" * 65, "<script>alert(1)</script>xxxxxxxx"):
            with self.subTest(key=key):
                self.assertRefused(self.press(key=key), 400, before)
        self.assertRefused(self.press(csrf=False), 400, before)
        self.assertRefused(self.press(csrf_token="not-the-token"), 400, before)

    def test_public_and_portal_read_no_articles_nor_deflections(self):
        self.assertEqual(self.press().status_code, 303)
        for user in (self.env.ref("base.public_user"), self.customer_user, self.contractor_user):
            for model in ("document.page", "klusheeren.selfhelp.deflection"):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([]).read(["id"])
                    self.env[model].with_user(user).check_access("read")
        # nor through JSON-RPC, logged in as a customer user
        self.authenticate("kh_klant", "kh_klant_pw1")
        for model in ("document.page", "klusheeren.selfhelp.deflection"):
            with self.subTest(rpc=model), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/search_read",
                    {"model": model, "method": "search_read", "args": [[]], "kwargs": {"fields": ["id"]}},
                )
