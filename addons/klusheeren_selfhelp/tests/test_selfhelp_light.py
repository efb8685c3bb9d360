import logging
import re

from odoo.tests import tagged

from odoo.addons.klusheeren_portal.tests.light import LightPagesMixin
from odoo.addons.klusheeren_portal.tests.test_light_pages import LIGHT_ONLY, SW_JS, WAIT_JS

from .common import KlusheerenSelfhelpCase, photo

_logger = logging.getLogger(__name__)

# every article opened, then the page must still fit the phone's screen
OPEN_FITS_JS = (
    WAIT_JS
    + """
(async () => {
    await khWait(() => document.readyState === "complete", "the page");
    const articles = document.querySelectorAll("details.kh-selfhelp-article");
    if (articles.length !== 3) { throw new Error(`${articles.length} articles`); }
    articles.forEach((article) => { article.open = true; });
    await khWait(() => Array.from(document.querySelectorAll(".kh-selfhelp-photo")).every((img) => img.complete
        && img.naturalWidth), "the photos");
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1 || window.innerWidth > 400) {
        console.error(`${root.scrollWidth} px wide for ${window.innerWidth}`);
    } else {
        console.log("test successful");
    }
})().catch((e) => console.error("kh-test: " + e.message));
"""
)

# the service worker in control, every asset of the self-help section fetched through it (as the page
# does once the worker controls it): the stylesheet and each article's thumbnail are kept for offline
# use, in the worker's cache; the full-size photo (not shown on the form) is not
OFFLINE_ASSETS_JS = (
    SW_JS
    + """
(async () => {
    await khControlled();
    // the articles' styles are in the page itself (kept with it), their thumbnails are kept apart
    const css = Array.from(document.querySelectorAll("link[rel=stylesheet]"))
        .map((link) => link.getAttribute("href")).filter((href) => href.includes("klusheeren_selfhelp"));
    const inline = document.querySelectorAll("head style#kh_selfhelp_style").length;
    const photos = Array.from(document.querySelectorAll(".kh-selfhelp-photo"))
        .map((img) => img.getAttribute("src"));
    if (css.length !== 0 || inline !== 1 || photos.length !== 3) {
        throw new Error(`${css.length} stylesheets, ${inline} inline styles, ${photos.length} photos`);
    }
    const wanted = photos;
    for (const url of wanted) {
        const response = await fetch(url);
        if (!response.ok) { throw new Error(`${url}: ${response.status}`); }
    }
    const cache = await caches.open("klusheeren-pages-1");
    // the worker stores its copy after answering: a moment later
    let kept = [];
    for (let i = 0; i < 100 && kept.length < wanted.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        kept = (await Promise.all(wanted.map((url) => cache.match(url)))).filter(Boolean);
    }
    if (kept.length !== wanted.length) { throw new Error(`${kept.length} of ${wanted.length} kept`); }
    const [path, query] = photos[0].split("?");
    const large = `${path.replace(/\\/\\d+x\\d+$/, "")}?${query}`;
    await fetch(large);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (await cache.match(large)) { throw new Error("kept an image the form does not show: " + large); }
    console.log("test successful");
})().catch((e) => console.error("kh-test: " + e.message));
"""
)


@tagged("post_install", "-at_install")
class TestSelfhelpLight(LightPagesMixin, KlusheerenSelfhelpCase):
    """The form with articles stays a light phone page (issue 21): within the weight budget with every
    photo counted, without JavaScript, as wide as a phone, and as many SQL queries with 0 as with 100
    articles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the third one gets a photo too: three phone photos (1600 x 1200), each served at 192 x 144
        cls.articles[2].image = photo(seed=3)
        cls.articles[0].name = "Koelkast koelt niet: zit de stekker erin en staat de thermostaat niet op 0? " * 2

    def test_form_with_articles_is_light(self):
        total = self.assertLightPage(self.qr_url())
        _logger.info("QR form with 3 articles and their photos: %s bytes on a first visit", total)
        self.assertLightPage(self.qr_url(self.equipment_none))

    def test_thanks_and_refusal_pages_are_light(self):
        response = self.press()
        self.assertEqual(response.status_code, 303)
        self.assertLightPage(response.headers["Location"])
        response = self.press(article_id=self.foreign_article.id)
        self.assertLightPage(self.qr_url(), status=404, response=response)

    def test_without_javascript(self):
        page = self.url_open(self.qr_url()).text
        self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)[^>]*>", "no inline script")
        for form in re.findall(r"<form[^>]*kh-selfhelp-solved[^>]*>", page):
            self.assertIn('method="post"', form)
            self.assertRegex(form, rf'action="(/[a-z]{{2}}(_[A-Z]{{2}})?)?{re.escape(self.qr_url())}/solved"')
        self.assertEqual(page.count("<details"), 3)

    def test_query_count_same_with_0_and_100_articles(self):
        category = self.env["maintenance.equipment.category"].create({"name": "Printers (test)"})
        printer = self.env["maintenance.equipment"].create(
            {"name": "Printer 3.14", "site_id": self.site.id, "category_id": category.id}
        )
        url = self.qr_url(printer)
        none = self.hot_query_count(url)
        self.assertNotIn("kh-selfhelp-article", self.url_open(url).text)
        small = photo(320, 240)
        self.Page.create(
            [
                {
                    "name": f"Printer article {i}",
                    "klusheeren_summary": "Is there paper in the tray?",
                    "klusheeren_category_id": category.id,
                    "klusheeren_sequence": i,
                    "image": small if i % 2 else False,
                }
                for i in range(100)
            ]
        )
        self.Page.create({"name": "Printer 3.14 only", "klusheeren_equipment_id": printer.id})
        hundred = self.hot_query_count(url)
        self.assertEqual(self.url_open(url).text.count('class="card kh-selfhelp-article"'), 3, "three articles shown")
        _logger.info("SQL queries of the QR form with 0 and 101 articles: %s, %s", none, hundred)
        self.assertEqual(none, hundred)

    def test_form_with_open_articles_fits_a_phone(self):
        self.browser_js(self.qr_url(), OPEN_FITS_JS, timeout=60, cookies=LIGHT_ONLY)

    def test_service_worker_keeps_the_selfhelp_assets_for_offline(self):
        self.browser_js(self.qr_url(), OFFLINE_ASSETS_JS, timeout=90, cookies=LIGHT_ONLY)
