from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_equipment.tests.common import PhoneBrowserMixin


@tagged("post_install", "-at_install")
class TestSmoke(PhoneBrowserMixin, HttpCase):
    """The addon installs on top of its dependencies and the public site still loads in Chromium."""

    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "klusheeren_portal")])
        self.assertEqual(module.state, "installed")

    def test_public_pages_load_in_browser(self):
        self.browser_js("/web/login", "console.log('test successful')", ready="true")
