"""The rating and complaint pages of the demo, fetched by a Dutch visitor, in Dutch only."""

from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_portal.tests.common import DutchPagesMixin


@tagged("post_install", "-at_install")
class TestDutchRatingPages(DutchPagesMixin, HttpCase):
    def test_rating_complaint_and_the_complaint_form(self):
        self.dutch()
        rating = self.env.ref("klusheeren_rating.demo_rating_coffee_old")
        self.assertDutchPage(
            f"/klusheeren/rating/{rating.id}?access_token={rating.access_token}",
            ["Beoordeling", "Snelheid", "Is het probleem opgelost?"],
        )
        complaint = self.env.ref("klusheeren_rating.demo_complaint_coffee_old")
        self.assertDutchPage(
            f"/klusheeren/complaint/{complaint.id}?access_token={complaint.access_token}",
            ["Klacht", "Uw feedback over de oplossing"],
        )
        ticket = self.env.ref("klusheeren_helpdesk.demo_ticket_fridge")
        ticket._portal_ensure_token()
        self.assertDutchPage(
            f"/my/ticket/{ticket.id}?access_token={ticket.access_token}",
            ["Klacht indienen", "bestanden, afbeeldingen of pdf, elk hoogstens 10 MB."],
        )
