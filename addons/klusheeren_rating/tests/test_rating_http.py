import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.klusheeren_equipment.tests.common import PhoneBrowserMixin

from .common import KlusheerenRatingCase


class RatingHttpMixin:
    def _url(self, rating, token=None, extra=""):
        return f"/klusheeren/rating/{rating.id}?access_token={token or rating.access_token}{extra}"

    def _csrf(self, rating):
        page = self.url_open(self._url(rating)).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _post(self, rating, data, token=None, csrf=True):
        payload = dict(data)
        if csrf:
            payload["csrf_token"] = self._csrf(rating)
        payload["access_token"] = token or rating.access_token
        return self.url_open(f"/klusheeren/rating/{rating.id}", data=payload, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestRatingHttp(RatingHttpMixin, HttpCase, KlusheerenRatingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(reporter=cls.reporter_en, name="Boiler C5")
        cls.rating = cls.order.klusheeren_rating_id
        cls.good = {"speed": "4", "communication": "5", "quality": "3", "solved": "yes", "comment": "Fine"}

    def test_wrong_or_missing_token_is_404_without_data(self):
        other = self._order(name="Vaatwasser").klusheeren_rating_id
        for url in (
            f"/klusheeren/rating/{self.rating.id}",
            f"/klusheeren/rating/{self.rating.id}?access_token=",
            f"/klusheeren/rating/{self.rating.id}?access_token={'x' * 32}",
            f"/klusheeren/rating/{self.rating.id}?access_token={other.access_token}",
            f"/klusheeren/rating/999999?access_token={self.rating.access_token}",
            f"/klusheeren/rating/{self.rating.id}?access_token={self.order.access_token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Boiler C5", response.text)
            self.assertNotIn("Sam Smith", response.text)
            self.assertNotIn('name="csrf_token"', response.text)

    def test_wrong_token_post_changes_nothing(self):
        csrf = self._csrf(self.rating)
        response = self.url_open(
            f"/klusheeren/rating/{self.rating.id}",
            data={**self.good, "csrf_token": csrf, "access_token": "x" * 32},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.rating.state, "pending")

    def test_page_shows_the_form_and_prefills_the_stars_of_the_mail(self):
        response = self.url_open(self._url(self.rating, extra="&score=4"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Rate the speed, communication and quality of the solution of this report.", response.text)
        self.assertIn("Boiler C5", response.text)
        self.assertIn(self.order.ticket_id.number, response.text)
        self.assertIn("Is the problem solved?", response.text)
        self.assertIn("Send feedback", response.text)
        self.assertRegex(response.text, r'id="kh_speed_4"\s+checked="checked"')
        self.assertEqual(self.rating.state, "pending", "opening the link from the e-mail does not rate")

    def test_submit_then_edit_keeps_one_record(self):
        response = self._post(self.rating, self.good)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/klusheeren/rating/{self.rating.id}?access_token=", response.headers["Location"])
        self.assertEqual(self.rating.state, "rated")
        self.assertEqual((self.rating.speed, self.rating.communication, self.rating.quality), (4, 5, 3))
        page = self.url_open(self._url(self.rating, extra="&saved=1")).text
        self.assertIn("Thank you for your feedback!", page)
        self.assertRegex(page, r'id="kh_communication_5"\s+checked="checked"')
        response = self._post(self.rating, {**self.good, "speed": "1", "comment": "Changed"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.rating.speed, 1)
        self.assertEqual(self.rating.comment, "Changed")
        self.assertEqual(self.env["klusheeren.rating"].search_count([("work_order_id", "=", self.order.id)]), 1)
        self.assertEqual(
            self.env["rating.rating"].search_count(
                [("res_model", "=", "klusheeren.work.order"), ("res_id", "=", self.order.id)]
            ),
            1,
        )

    def test_out_of_bounds_values_are_refused(self):
        for field in ("speed", "communication", "quality"):
            for bad in ("0", "6"):
                response = self._post(self.rating, {**self.good, field: bad})
                self.assertEqual(response.status_code, 400, (field, bad))
                self.assertIn("Give 1 to 5 stars.", response.text)
        response = self._post(self.rating, {k: v for k, v in self.good.items() if k != "solved"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.rating.state, "pending")
        self.assertFalse(self.rating.speed)

    @mute_logger("odoo.http")
    def test_post_without_csrf_is_refused(self):
        response = self._post(self.rating, self.good, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.rating.state, "pending")

    def test_not_solved_from_the_page_reopens(self):
        response = self._post(self.rating, {**self.good, "solved": "no", "comment": "Still broken"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.order.ticket_id.stage_id, self.env.ref("klusheeren_helpdesk.stage_first_line"))
        self.assertEqual(len(self._mails(self.rating, self.contractor)), 1)
        page = self.url_open(self._url(self.rating, extra="&saved=1")).text
        self.assertIn("We have reopened your report", page)

    def test_closed_ticket_shows_the_rating_read_only(self):
        self.rating.action_submit(self.good)
        self.order.ticket_id.stage_id = self.env.ref("klusheeren_helpdesk.stage_closed")
        page = self.url_open(self._url(self.rating))
        self.assertEqual(page.status_code, 200)
        self.assertIn("the rating can no longer be changed", page.text)
        self.assertNotIn('name="speed"', page.text)
        response = self.url_open(
            f"/klusheeren/rating/{self.rating.id}",
            data={**self.good, "speed": "1", "csrf_token": self._csrf_any(), "access_token": self.rating.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.rating.speed, 4)

    def _csrf_any(self):
        """A CSRF token of this browser session, from another rating page with a form."""
        return self._csrf(self._order(reporter=self.reporter_en, name="Printer").klusheeren_rating_id)

    def test_odoo_generic_rating_pages_refuse_work_order_ratings(self):
        self.rating.action_submit(self.good)
        core_token = self.rating.rating_id.access_token
        self.assertEqual(self.url_open(f"/rate/{core_token}/5").status_code, 404)
        self.assertEqual(self.rating.rating_id.rating, 4)

    def test_page_speaks_the_reporters_language(self):
        order = self._order(reporter=self.reporter, name="Koffiemachine")
        page = self.url_open(self._url(order.klusheeren_rating_id)).text
        self.assertIn("Beoordeel de snelheid, communicatie en kwaliteit van oplossing van deze melding.", page)
        self.assertIn("Is het probleem opgelost?", page)
        self.assertIn("Feedback versturen", page)

    def test_rating_page_query_count(self):
        url = self._url(self.rating)
        self.url_open(url)  # warm the caches (templates, assets)
        with self.assertQueryCount(60):
            self.assertEqual(self.url_open(url).status_code, 200)


@tagged("post_install", "-at_install")
class TestRatingTour(PhoneBrowserMixin, HttpCase, KlusheerenRatingCase):
    def test_rating_page_on_a_phone(self):
        order = self._order(reporter=self.reporter_en, name="Boiler")
        rating = order.klusheeren_rating_id
        self.start_tour(
            f"/klusheeren/rating/{rating.id}?access_token={rating.access_token}",
            "klusheeren_rating_phone",
        )
        self.assertEqual(rating.state, "rated")
        self.assertEqual((rating.speed, rating.communication, rating.quality), (4, 5, 3))
        self.assertTrue(rating.solved)
        self.assertEqual(rating.comment, "Snel geholpen, prima uitleg.")
