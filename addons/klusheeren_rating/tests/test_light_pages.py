import re

from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_portal.tests.light import LightPagesMixin

from .common import KlusheerenRatingCase
from .test_rating_http import RatingHttpMixin


@tagged("post_install", "-at_install")
class TestLightRatingPages(LightPagesMixin, RatingHttpMixin, HttpCase, KlusheerenRatingCase):
    """The rating page and the contractor's complaint page are light phone pages (issue 21): no asset
    bundle, at most 100 kB with everything they load; so are their answers to a wrong link."""

    def test_rating_and_complaint_pages_are_light(self):
        order = self._order(reporter=self.reporter_en, name="Boiler C5")
        rating = order.klusheeren_rating_id
        self.assertLightPage(self._url(rating))
        self.assertLightPage(self._url(rating, token="x" * 43), status=404)
        rating.action_submit({"speed": 2, "communication": 3, "quality": 1, "solved": "yes", "comment": "Traag"})
        ticket = order.ticket_id
        ticket._portal_ensure_token()
        page = self.url_open(f"/my/ticket/{ticket.id}?access_token={ticket.access_token}").text
        response = self.url_open(
            f"/my/ticket/{ticket.id}/complaint",
            data={
                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
                "access_token": ticket.access_token,
                "reason": "quality",
                "description": "Er lekt nog steeds water.",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        complaint = self.env["klusheeren.complaint"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(complaint), 1)
        url = f"/klusheeren/complaint/{complaint.id}?access_token="
        self.assertLightPage(url + complaint.access_token)
        self.assertLightPage(url + "x" * 43, status=404)
