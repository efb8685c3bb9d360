"""Helpers of the light public pages' tests (issue 21), shared by the addons that have such pages."""

import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

# Issue 21: a public page on a first visit with an empty cache, everything counted, as `make run` serves it
PAGE_BUDGET = 100_000
# what a response's headers add to the bytes transferred (Odoo's, measured: 250-450 bytes)
HEADER_BYTES = 500
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class LightPagesMixin:
    """assertLightPage: a page and everything it references, fetched as a browser with an empty cache
    would (stylesheets and the files they name, scripts, images, icons), within the budget and without
    any of Odoo's asset bundles."""

    def page_weight(self, url, status=200, response=None):
        response = self.url_open(url) if response is None else response
        self.assertEqual(response.status_code, status, url)
        document = lxml_html.fromstring(response.content)
        base = response.url
        refs = document.xpath(
            "//link[@rel='stylesheet' or @rel='icon' or @rel='preload' or @rel='manifest']/@href"
            "|//script/@src|//img/@src|//source/@srcset"
        )
        fetched = {}
        pending = [urljoin(base, ref) for ref in refs]
        while pending:
            ref = pending.pop()
            if ref.startswith("data:") or ref in fetched:
                continue
            self.assertNotIn("/web/assets/", ref, f"{url}: an asset bundle on a light page")
            path = urlsplit(ref)._replace(scheme="", netloc="").geturl()
            asset = self.url_open(path)
            self.assertEqual(asset.status_code, 200, f"{url}: {ref}")
            fetched[ref] = len(asset.content)
            if "css" in asset.headers.get("Content-Type", ""):
                pending += [urljoin(ref, found) for found in CSS_URL_RE.findall(asset.text)]
        total = len(response.content) + sum(fetched.values()) + HEADER_BYTES * (1 + len(fetched))
        return total, fetched

    def assertLightPage(self, url, status=200, response=None, budget=PAGE_BUDGET):
        total, fetched = self.page_weight(url, status=status, response=response)
        self.assertLessEqual(
            total, budget, f"{url}: {total} bytes on a first visit (budget {budget}); assets: {fetched}"
        )
        self.assertTrue(
            any(ref.endswith("/klusheeren_equipment/static/src/light/light.css") for ref in fetched),
            f"{url}: not on the light layout",
        )
        return total
