from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KlusheerenRatingCase

GOOD = {"speed": "4", "communication": "5", "quality": "3", "solved": "yes", "comment": "Prima"}


@tagged("post_install", "-at_install")
class TestRating(KlusheerenRatingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order()
        cls.rating = cls.order.klusheeren_rating_id
        cls.ticket = cls.order.ticket_id

    def test_done_creates_one_rating_and_mails_the_reporter_in_dutch(self):
        self.assertEqual(len(self.order.klusheeren_rating_ids), 1)
        self.assertEqual(self.rating.state, "pending")
        self.assertEqual(self.rating.partner_id, self.reporter)
        self.assertTrue(self.rating.access_token)
        self.assertNotEqual(self.rating.access_token, self.order.access_token)
        mails = self._mails(self.rating, self.reporter)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.subject, f"Uw melding {self.ticket.number} is opgelost: hoe hebben we het gedaan?")
        link = f"/klusheeren/rating/{self.rating.id}?access_token={self.rating.access_token}"
        self.assertIn(link, mails.body_html)
        self.assertIn(link + "&amp;score=5", mails.body_html)
        self.assertIn("Geef uw feedback", mails.body_html)
        # the helpdesk's own "work completed" mail is replaced, not sent twice
        done = self.env.ref("klusheeren_helpdesk.mail_template_work_order_done")
        self.assertFalse(
            self._mails(self.order, self.reporter).filtered(
                lambda m: m.mail_message_id.subject and "opgelost" in m.subject
            ),
            done.subject,
        )

    def test_english_reporter_gets_english_mail(self):
        order = self._order(reporter=self.reporter_en, name="Boiler")
        mail = self._mails(order.klusheeren_rating_id, self.reporter_en)
        self.assertEqual(mail.subject, f"Your report {order.ticket_id.number} has been resolved: how did we do?")
        self.assertIn("Give your feedback", mail.body_html)

    def test_submit_sets_criteria_and_the_odoo_rating(self):
        self.rating.action_submit(GOOD)
        self.assertEqual(self.rating.state, "rated")
        self.assertEqual((self.rating.speed, self.rating.communication, self.rating.quality), (4, 5, 3))
        self.assertTrue(self.rating.solved)
        self.assertAlmostEqual(self.rating.score, 4.0)
        self.assertEqual(self.rating.overall, 4)
        core = self.rating.rating_id
        self.assertEqual(core.res_model, "klusheeren.work.order")
        self.assertEqual(core.res_id, self.order.id)
        self.assertEqual(core.rating, 4)
        self.assertTrue(core.consumed)
        self.assertEqual(core.rated_partner_id, self.contractor)
        self.assertEqual(core.partner_id, self.reporter)
        self.assertEqual(core.feedback, "Prima")
        self.assertEqual(core.parent_res_model, "helpdesk.ticket")
        self.assertEqual(self.order.rating_count, 1)
        self.assertEqual(self.order.rating_last_value, 4)
        self.assertEqual(self.ticket.stage_id, self.env.ref("klusheeren_helpdesk.stage_resolved"))

    def test_overall_is_the_mean_rounded_half_up(self):
        cases = [((4, 4, 5), 4), ((3, 4, 4), 4), ((2, 3, 3), 3), ((5, 5, 4), 5), ((1, 1, 2), 1)]
        for (speed, communication, quality), overall in cases:
            self.rating.action_submit(
                {"speed": speed, "communication": communication, "quality": quality, "solved": "yes"}
            )
            self.assertEqual(self.rating.overall, overall, (speed, communication, quality))
            self.assertEqual(self.rating.rating_id.rating, overall)
            self.assertAlmostEqual(self.rating.score, (speed + communication + quality) / 3, places=2)

    def test_second_submit_edits_the_same_records(self):
        self.rating.action_submit(GOOD)
        core = self.rating.rating_id
        message = core.message_id
        self.rating.action_submit({**GOOD, "speed": "2", "comment": "Toch minder"})
        self.assertEqual(len(self.order.klusheeren_rating_ids), 1)
        self.assertEqual(self.rating.rating_id, core)
        self.assertEqual(
            self.env["rating.rating"].search_count(
                [("res_model", "=", "klusheeren.work.order"), ("res_id", "=", self.order.id)]
            ),
            1,
        )
        self.assertEqual(self.rating.speed, 2)
        self.assertEqual(core.rating, 3)  # (2 + 5 + 3) / 3 = 3.33
        self.assertEqual(core.feedback, "Toch minder")
        self.assertEqual(core.message_id, message, "the rating message is updated, not duplicated")

    def test_values_are_bounded_1_to_5(self):
        for bad in ("0", "6", "-1", "abc", "", None, "4.5", "99999999999999999999"):
            with self.assertRaises(ValidationError, msg=repr(bad)):
                self.rating.action_submit({**GOOD, "quality": bad})
        with self.assertRaises(ValidationError):
            self.rating.action_submit({**GOOD, "solved": "maybe"})
        with self.assertRaises(ValidationError):
            self.rating.action_submit({**GOOD, "comment": "x" * 4001})
        self.assertEqual(self.rating.state, "pending")
        self.assertFalse(self.rating.rating_id)
        # the database refuses out-of-range values too
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.rating.sudo().write({"speed": 6})
            self.rating.flush_recordset()

    def test_one_rating_per_work_order(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["klusheeren.rating"].create({"work_order_id": self.order.id})
        # completing a reopened work order again asks again, with the same record and link
        token = self.rating.access_token
        self.order.sudo().write({"state": "accepted", "date_done": False})
        self.order.action_done()
        self.assertEqual(self.order.klusheeren_rating_ids, self.rating)
        self.assertEqual(self.rating.access_token, token)
        self.assertEqual(len(self._mails(self.rating, self.reporter)), 2)

    def test_closed_ticket_cannot_be_rated_anymore(self):
        self.rating.action_submit(GOOD)
        self.ticket.stage_id = self.env.ref("klusheeren_helpdesk.stage_closed")
        self.assertFalse(self.rating.is_editable)
        with self.assertRaises(UserError):
            self.rating.action_submit({**GOOD, "speed": "1"})
        self.assertEqual(self.rating.speed, 4)

    def test_not_solved_reopens_and_notifies(self):
        self.Mail.search([]).unlink()
        self.rating.action_submit({**GOOD, "solved": "no", "comment": "Koelt nog steeds niet"})
        self.assertEqual(self.ticket.stage_id, self.env.ref("klusheeren_helpdesk.stage_first_line"))
        # the contractor, in Dutch, with the comment
        to_contractor = self._mails(self.rating, self.contractor)
        self.assertEqual(len(to_contractor), 1)
        self.assertEqual(
            to_contractor.subject,
            f"Werkopdracht {self.order.name}: de melder geeft aan dat het probleem niet is opgelost",
        )
        self.assertIn("Koelt nog steeds niet", to_contractor.body_html)
        self.assertIn(f"/my/work-orders/{self.order.id}", to_contractor.body_html)
        # the responsible back-office user: an e-mail notification and an activity
        to_responsible = self._mails(self.ticket, self.backoffice.partner_id).filtered(
            lambda m: self.order.name in m.body_html and "Koelt nog steeds niet" in m.body_html
        )
        self.assertEqual(len(to_responsible), 1)
        route = self.env.ref("klusheeren_helpdesk.mail_activity_type_route")  # an unrouted ticket's own
        activity = self.ticket.activity_ids.filtered(lambda a: a.activity_type_id != route)
        self.assertEqual(activity.user_id, self.backoffice)
        # changing the comment while still "no" does not notify again
        self.rating.action_submit({**GOOD, "solved": "no", "comment": "Nog steeds kapot"})
        self.assertEqual(len(self._mails(self.rating, self.contractor)), 1)
        self.assertEqual(len(self.ticket.activity_ids.filtered(lambda a: a.activity_type_id != route)), 1)

    def test_solved_does_not_reopen(self):
        self.rating.action_submit(GOOD)
        self.assertEqual(self.ticket.stage_id, self.env.ref("klusheeren_helpdesk.stage_resolved"))
        self.assertFalse(self._mails(self.rating, self.contractor))

    def test_token_lookup(self):
        Rating = self.env["klusheeren.rating"]
        self.assertEqual(Rating._klusheeren_from_token(self.rating.id, self.rating.access_token), self.rating)
        other = self._order(name="Vaatwasser").klusheeren_rating_id
        for rating_id, token in (
            (self.rating.id, other.access_token),
            (self.rating.id, "x" * 32),
            (self.rating.id, ""),
            (self.rating.id, None),
            (self.rating.id, ["list"]),
            ("abc", self.rating.access_token),
            (999999999, self.rating.access_token),
        ):
            self.assertFalse(Rating._klusheeren_from_token(rating_id, token), (rating_id, token))
