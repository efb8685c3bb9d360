from odoo.tests import tagged

from .common import KlusheerenSelfhelpCase


@tagged("post_install", "-at_install")
class TestSelfhelpTours(KlusheerenSelfhelpCase):
    def test_tour_solved_by_an_article_on_a_phone(self):
        """Scan the sticker, open an article, "This solved it": one deflection, no ticket (390 x 844)."""
        before = self.state()
        self.start_tour(self.qr_url(), "klusheeren_selfhelp_solved_phone")
        after = self.state()
        self.assertEqual(after[0], before[0] + 1)
        self.assertEqual(after[1:], before[1:], "no ticket, work order or e-mail")
        deflection = self.Deflection.search([], order="id desc", limit=1)
        self.assertEqual(deflection.article_id, self.articles[1])
        self.assertEqual(deflection.equipment_id, self.equipment)
