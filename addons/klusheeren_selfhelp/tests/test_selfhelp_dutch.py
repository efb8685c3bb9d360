import re

from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_portal.tests.common import CSRF_RE, DutchPagesMixin

DEMO_STICKER = "demo-koffiemachine-c5-KH2026"


@tagged("post_install", "-at_install")
class TestSelfhelpDutch(DutchPagesMixin, HttpCase):
    """The demo's articles and pages as a Dutch visitor reads them: in Dutch only."""

    def setUp(self):
        super().setUp()
        self.env["ir.module.module"]._load_module_terms(["klusheeren_selfhelp"], ["nl_NL"], overwrite=True)
        self.dutch()

    def test_sticker_form_thanks_and_knowledge_base_in_dutch(self):
        text = self.assertDutchPage(
            f"/qr/{DEMO_STICKER}",
            [
                "Controleer dit eerst",
                "Koffiemachine geeft geen water: is het waterreservoir leeg?",
                'Koffiemachine meldt "Lekbak legen"',
                "Dit heeft het opgelost",
                "Niet opgelost? Beschrijf de storing hieronder.",
            ],
        )
        self.assertNotIn("Het display blijft donker", text, "the fourth article is left out")
        page = self.url_open(f"/qr/{DEMO_STICKER}").text
        article_id = re.search(r'name="article_id" value="(\d+)"', page).group(1)
        key = re.search(r'name="deflection_key" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/qr/{DEMO_STICKER}/solved",
            data={"csrf_token": CSRF_RE.search(page).group(1), "article_id": article_id, "deflection_key": key},
        )
        self.assertDutchPage(None, ["Fijn dat het is opgelost", "Er is geen storing gemeld."], response=response)
        self.authenticate("portal", "portal")
        self.dutch()
        # the demo customer's site has the coffee machine and the boiler: their articles, the fourth too
        self.assertDutchPage(
            "/my/help",
            [
                "Hulpartikelen",
                "Koffiemachine geeft geen water: is het waterreservoir leeg?",
                "Het display blijft donker: staat de machine aan?",
                "Geen verwarming: staat de waterdruk tussen 1 en 2 bar?",
            ],
        )
