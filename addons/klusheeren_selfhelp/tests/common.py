import base64
import io
import random
import re

from lxml import html as lxml_html
from PIL import Image, ImageFilter

from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase

SOLVED_FORM_RE = re.compile(
    r'<form[^>]*action="([^"]*/solved)"[^>]*>.*?name="csrf_token" value="([^"]+)".*?'
    r'name="article_id" value="(\d+)".*?name="deflection_key" value="([^"]+)"',
    re.S,
)


def photo(width=1600, height=1200, seed=1):
    """A phone photo's JPEG, base64 as an image field takes it: colour areas and fine grain, which JPEG
    compresses no better than a real photo (a plain colour would make the weight tests too kind)."""
    rng = random.Random(seed)
    coarse = Image.frombytes("RGB", (width // 16, height // 16), rng.randbytes(width // 16 * height // 16 * 3))
    grain = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).filter(
        ImageFilter.GaussianBlur(1.5)
    )
    data = io.BytesIO()
    Image.blend(coarse.resize((width, height), Image.BICUBIC), grain, 0.15).save(data, "JPEG", quality=90)
    return base64.b64encode(data.getvalue())


class KlusheerenSelfhelpCase(KlusheerenPortalCase):
    """The portal's fixtures plus self-help articles: four for the fridge category of ``equipment`` (the
    form shows three), one for the category of ``other_equipment`` (another customer's), one for the
    boiler ``equipment_en`` only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Page = cls.env["document.page"]
        cls.Deflection = cls.env["klusheeren.selfhelp.deflection"]
        Category = cls.env["maintenance.equipment.category"]
        cls.fridges = Category.create({"name": "Koelkasten (test)"})
        cls.dishwashers = Category.create({"name": "Vaatwassers (test)"})
        cls.equipment.category_id = cls.fridges
        cls.other_equipment.category_id = cls.dishwashers
        cls.articles = cls.Page.create(
            [
                {
                    "name": f"Fridge article {i}",
                    "klusheeren_summary": f"Check number {i}: is the plug in?",
                    "klusheeren_category_id": cls.fridges.id,
                    "klusheeren_sequence": i,
                    "image": photo() if i < 3 else False,
                }
                for i in (1, 2, 3, 4)
            ]
        )
        cls.foreign_article = cls.Page.create(
            {
                "name": "Dishwasher article",
                "klusheeren_summary": "Is the filter clean?",
                "klusheeren_category_id": cls.dishwashers.id,
            }
        )
        cls.boiler_article = cls.Page.create(
            {
                "name": "Boiler article",
                "klusheeren_summary": "Is the pressure above 1 bar?",
                "klusheeren_equipment_id": cls.equipment_en.id,
            }
        )

    def solved_forms(self, url=None, response=None):
        """``[(action, csrf_token, article_id, deflection_key)]`` of the "This solved it" forms on the page."""
        response = response or self.url_open(url or self.qr_url())
        self.assertEqual(response.status_code, 200)
        return [(a, c, int(i), k) for a, c, i, k in SOLVED_FORM_RE.findall(response.text)]

    def press(self, article_id=None, key=None, token=None, csrf=True, equipment=None, **extra):
        """ "This solved it" as the form posts it: the article, key and CSRF token of a fresh form, unless given."""
        action, csrf_token, first_article, form_key = self.solved_forms(self.qr_url(equipment))[0]
        data = {
            "article_id": str(first_article if article_id is None else article_id),
            "deflection_key": form_key if key is None else key,
        }
        if csrf:
            data["csrf_token"] = csrf_token
        data.update(extra)
        url = action if token is None else f"/qr/{token}/solved"
        return self.url_open(url, data=data, allow_redirects=False)

    def state(self):
        """What a refused press must leave as it was."""
        self.env.invalidate_all()
        return (
            self.Deflection.sudo().search_count([]),
            self.Ticket.sudo().search_count([]),
            self.WorkOrder.sudo().search_count([]),
            self.env["mail.mail"].sudo().search_count([]),
        )

    @staticmethod
    def document(response):
        return lxml_html.fromstring(response.content)
