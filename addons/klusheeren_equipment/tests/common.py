from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser

from odoo.addons.base.tests.common import BaseCommon


@contextmanager
def real_pdf_rendering(case):
    """Real PDFs (wkhtmltopdf) inside the test ``case``. wkhtmltopdf fetches the report's CSS
    over HTTP: from this test server (not the configured web.base.url), and a TransactionCase
    lets that request in with Odoo's allow_pdf_render(); without it, under Odoo's own runner,
    the request waits for the test, which waits for wkhtmltopdf. An HttpCase does both itself."""
    if isinstance(case, HttpCase):
        yield
        return
    case.env["ir.config_parameter"].sudo().set_param("report.url", HttpCase.base_url())
    with case.allow_pdf_render():
        yield


# Run in every page the test browser opens: a page wider than the phone's screen fails the test (Odoo's
# browser tests fail on console.error). Checked when the page has loaded and again a moment later (after
# the scripts), and on every page a tour goes through.
OVERFLOW_CHECK_JS = """
(function () {
    function check() {
        var root = document.documentElement;
        if (root && root.scrollWidth > window.innerWidth + 1) {
            var over = function (el) {
                return el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".offcanvas")
                    && getComputedStyle(el).position !== "fixed";
            };
            // the innermost elements that stick out: the culprits
            var wide = Array.prototype.filter.call(document.querySelectorAll("body *"), function (el) {
                return over(el) && !Array.prototype.some.call(el.children, over);
            }).slice(0, 3).map(function (el) {
                return el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "");
            });
            console.error("klusheeren: horizontal overflow on " + location.pathname + ": " + root.scrollWidth
                + " px wide for a " + window.innerWidth + " px screen (" + wide.join(", ") + ")");
        }
    }
    window.addEventListener("load", function () {
        check();
        setTimeout(check, 500);
    });
})();
"""


class PhoneBrowserMixin:
    """Browser tests and tours at a phone's viewport (390 x 844, touch), failing on a page wider than
    the screen (issue 20): every HttpCase of the project that opens Chromium inherits this."""

    browser_size = "390x844"
    touch_enabled = True

    def browser_js(self, *args, **kwargs):
        navigate_to = ChromeBrowser.navigate_to

        def navigate_with_check(browser, url, wait_stop=False):
            browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={"source": OVERFLOW_CHECK_JS})
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_with_check):
            return super().browser_js(*args, **kwargs)


class KlusheerenEquipmentCase(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sticker = cls.env["klusheeren.sticker"]
        cls.Equipment = cls.env["maintenance.equipment"]
        cls.contractor_cat = cls.env["res.partner"].create(
            {"name": "Koel & Co", "is_company": True, "klusheeren_is_contractor": True}
        )
        cls.contractor_site = cls.env["res.partner"].create(
            {"name": "Site Service BV", "is_company": True, "klusheeren_is_contractor": True}
        )
        cls.site = cls.env["res.partner"].create(
            {
                "name": "Testlocatie",
                "is_company": True,
                "street": "Laan van Kronenburg 14",
                "zip": "1183 AS",
                "city": "Amstelveen",
                "klusheeren_contractor_id": cls.contractor_site.id,
            }
        )
        cls.category = cls.env["maintenance.equipment.category"].create(
            {"name": "Koelkast", "klusheeren_contractor_id": cls.contractor_cat.id}
        )
        cls.equipment = cls.Equipment.create(
            {
                "name": "Koelkast 2.21",
                "site_id": cls.site.id,
                "exact_location": "Op de koelkast in kantoor 2.21",
            }
        )
        cls.backoffice = new_test_user(
            cls.env,
            login="kh_bo",
            groups="base.group_user,klusheeren_base.group_klusheeren_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="kh_mgr",
            groups="base.group_user,klusheeren_base.group_klusheeren_manager",
        )
        cls.employee = new_test_user(cls.env, login="kh_emp", groups="base.group_user")
        cls.portal = new_test_user(cls.env, login="kh_portal", groups="base.group_portal")
        cls.public = cls.env.ref("base.public_user")
