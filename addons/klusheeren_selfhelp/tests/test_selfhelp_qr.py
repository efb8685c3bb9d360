import base64
import io
import re
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from odoo.tests import tagged

from .common import KlusheerenSelfhelpCase


@tagged("post_install", "-at_install")
class TestSelfhelpQr(KlusheerenSelfhelpCase):
    """The sticker's form shows its equipment's self-help articles; "This solved it" counts a deflection
    instead of a ticket (issue 24, part 4)."""

    def test_form_shows_at_most_three_articles_collapsed_above_the_description(self):
        response = self.url_open(self.qr_url())
        page = self.document(response)
        articles = page.xpath("//details[contains(@class, 'kh-selfhelp-article')]")
        self.assertEqual(len(articles), 3, "at most three")
        self.assertEqual(
            [a.xpath("string(summary)") for a in articles],
            ["Fridge article 1", "Fridge article 2", "Fridge article 3"],
            "in their order; the fourth is left out",
        )
        self.assertFalse([a for a in articles if a.get("open") is not None], "collapsed")
        self.assertNotIn("Dishwasher article", response.text, "another category's article")
        self.assertNotIn("Boiler article", response.text, "another machine's own article")
        html = response.text
        self.assertLess(html.index("kh-selfhelp-article"), html.index('name="description"'), "above the description")
        # their styles inline: no stylesheet request of their own on the form's critical path
        self.assertEqual(len(page.xpath("//head/style[@id='kh_selfhelp_style']")), 1)
        self.assertIn(".kh-selfhelp-article", page.xpath("//head/style[@id='kh_selfhelp_style']")[0].text)
        self.assertNotIn("selfhelp.css", html)
        # each has its own plain form post, outside the report form
        forms = self.solved_forms(response=response)
        self.assertEqual([f[2] for f in forms], self.articles[:3].ids)
        self.assertEqual(len({f[3] for f in forms}), 1, "one key per form shown")
        self.assertFalse(page.xpath("//form[contains(@class, 'o_klusheeren_report_form')]//details"))

    def test_articles_of_one_machine_and_none(self):
        html = self.url_open(self.qr_url(self.equipment_en)).text
        self.assertIn("Boiler article", html)
        self.assertNotIn("Fridge article", html)
        # of a category too: the machine's own article first, then the category's by their order
        self.equipment_en.category_id = self.fridges
        page = self.document(self.url_open(self.qr_url(self.equipment_en)))
        self.assertEqual(
            [s.text_content() for s in page.xpath("//details[contains(@class, 'kh-selfhelp-article')]/summary")],
            ["Boiler article", "Fridge article 1", "Fridge article 2"],
        )
        self.assertNotIn("Boiler article", self.url_open(self.qr_url()).text, "nor on the other fridges")
        # equipment without a category and without articles: no section, no styles
        html = self.url_open(self.qr_url(self.equipment_none)).text
        self.assertNotIn("kh-selfhelp", html)
        self.assertIn("o_klusheeren_report_form", html)

    def test_archived_article_not_shown(self):
        self.articles[0].active = False
        html = self.url_open(self.qr_url()).text
        self.assertNotIn("Fridge article 1", html)
        self.assertIn("Fridge article 4", html)

    def test_this_solved_it_records_a_deflection_and_no_ticket(self):
        before = self.state()
        response = self.press(article_id=self.articles[1].id)
        self.assertEqual(response.status_code, 303)
        deflection = self.Deflection.search([])
        deflection = deflection.filtered(lambda d: d.article_id == self.articles[1])
        self.assertEqual(len(deflection), 1)
        self.assertEqual(deflection.equipment_id, self.equipment)
        self.assertEqual(deflection.category_id, self.fridges)
        self.assertEqual(deflection.site_id, self.site)
        self.assertTrue(deflection.date)
        after = self.state()
        self.assertEqual(after[0], before[0] + 1)
        self.assertEqual(after[1:], before[1:], "no ticket, no work order, no e-mail")
        thanks = self.url_open(response.headers["Location"])
        self.assertEqual(thanks.status_code, 200)
        self.assertIn("o_klusheeren_selfhelp_thanks", thanks.text)
        self.assertIn("Fridge article 2", thanks.text)
        # a way back to report it after all (with the language's prefix for a visitor of another language)
        self.assertRegex(thanks.text, rf'href="(/[a-z]{{2}}(_[A-Z]{{2}})?)?{re.escape(self.qr_url())}"')

    def test_repeated_press_is_one_deflection(self):
        action, csrf_token, article_id, key = self.solved_forms()[0]
        data = {"csrf_token": csrf_token, "article_id": str(article_id), "deflection_key": key}
        count = self.Deflection.search_count([])
        locations = set()
        for _i in range(3):
            response = self.url_open(action, data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            locations.add(response.headers["Location"])
        # another article of the same form shown: the same press, the same deflection
        response = self.url_open(action, data={**data, "article_id": str(self.articles[2].id)}, allow_redirects=False)
        locations.add(response.headers["Location"])
        self.assertEqual(self.Deflection.search_count([]), count + 1)
        self.assertEqual(len(locations), 1, locations)
        # a new form shown: a new press
        self.assertEqual(self.press().status_code, 303)
        self.assertEqual(self.Deflection.search_count([]), count + 2)

    def test_thanks_page_only_for_its_own_sticker_and_key(self):
        response = self.press()
        key = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
        self.assertIn("o_klusheeren_selfhelp_thanks", self.url_open(f"{self.qr_url()}/solved/{key}").text)
        # another sticker's, or an unknown key: back to the form, nothing shown
        for equipment, url in (
            (self.equipment_en, f"{self.qr_url(self.equipment_en)}/solved/{key}"),
            (self.equipment, f"{self.qr_url()}/solved/{'x' * 32}"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(urlsplit(response.url).path.endswith(self.qr_url(equipment)), response.url)
                self.assertNotIn("o_klusheeren_selfhelp_thanks", response.text)
        self.assertEqual(self.url_open(f"/qr/{'y' * 32}/solved/{key}").status_code, 404)

    def test_photo_served_at_the_size_shown_lazily(self):
        page = self.document(self.url_open(self.qr_url()))
        images = page.xpath("//details[contains(@class, 'kh-selfhelp-article')]//img")
        self.assertEqual(len(images), 2, "the two articles with a photo")
        for img in images:
            self.assertEqual(img.get("loading"), "lazy")
            self.assertEqual((img.get("width"), img.get("height")), ("96", "72"))
            src = img.get("src")
            self.assertRegex(src, r"^/web/image/document\.page/\d+/klusheeren_photo_small/192x144\?")
            served = self.url_open(src)  # as the public
            self.assertEqual(served.status_code, 200)
            self.assertLessEqual(Image.open(io.BytesIO(served.content)).size, (192, 144))
            self.assertLess(len(served.content), 15_000, "a photo of a few kB")
        # without the token, or the token on another field or article: not this photo (Odoo answers an
        # image URL it may not serve with its placeholder, a PNG)
        src = images[0].get("src")
        path, query = src.split("?")
        token = parse_qs(query)["access_token"][0]
        for refused in (
            path,
            f"{path.replace('klusheeren_photo_small', 'image')}?{query}",
            f"{path.replace(f'/{self.articles[0].id}/', f'/{self.foreign_article.id}/')}?{query}",
            f"{path}?access_token={token[:-3]}abc",
        ):
            with self.subTest(url=refused):
                served = self.url_open(refused)
                self.assertFalse(served.status_code == 200 and "jpeg" in served.headers.get("Content-Type", ""))

    def test_svg_never_becomes_a_public_photo(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("kh")</script><rect width="9" height="9"/></svg>'
        self.articles[0].image = base64.b64encode(svg)
        self.assertFalse(self.articles[0].klusheeren_has_photo)
        self.assertFalse(self.articles[0].klusheeren_photo_small)
        page = self.document(self.url_open(self.qr_url()))
        first = page.xpath("//details[contains(@class, 'kh-selfhelp-article')]")[0]
        self.assertFalse(first.xpath(".//img"))
