from odoo.tests import HttpCase, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestProbe(HttpCase):
    def test_browser(self):
        self.browser_js("/web/login", "console.log('test successful')", ready="true")

class TestProbeTx(TransactionCase):
    def test_env(self):
        self.assertTrue(self.env["res.partner"].search_count([]) > 0)
