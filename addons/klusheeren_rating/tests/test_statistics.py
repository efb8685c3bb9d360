from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KlusheerenRatingCase


@tagged("post_install", "-at_install")
class TestStatistics(KlusheerenRatingCase):
    """Fixture with known answers.

    Contractor A: WO1 (site 1) accepted after 2 h, done after 10 h, rated 5/4/3, solved;
                  WO2 (site 2) accepted after 4 h, done after 20 h, rated 3/2/1, not solved, 1 complaint;
                  WO3 (site 1) sent, never accepted.
    Contractor B: WO4 (site 2) accepted after 1 h, done after 5 h, rated 4/4/4, solved, 2 complaints.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.a = Partner.create({"name": "Aannemer A", "klusheeren_is_contractor": True, "email": "a@example.com"})
        cls.b = Partner.create({"name": "Aannemer B", "klusheeren_is_contractor": True, "email": "b@example.com"})
        cls.wo1 = cls._timed(cls.a, cls.site, 2, 10, (5, 4, 3, "yes"))
        cls.wo2 = cls._timed(cls.a, cls.site_2, 4, 20, (3, 2, 1, "no"))
        cls.wo3 = cls._timed(cls.a, cls.site, None, None, None)
        cls.wo4 = cls._timed(cls.b, cls.site_2, 1, 5, (4, 4, 4, "yes"))
        Complaint = cls.env["klusheeren.complaint"]
        Complaint._klusheeren_file(cls.wo2.ticket_id, "not_solved", "Nog steeds kapot")
        # one open complaint per work order: the first was rejected before the second came
        Complaint._klusheeren_file(cls.wo4.ticket_id, "speed", "Te laat").sudo().write({"state": "rejected"})
        Complaint._klusheeren_file(cls.wo4.ticket_id, "conduct", "Onbeleefd")
        cls.env.flush_all()
        cls.Report = cls.env["klusheeren.rating.report"].with_user(cls.backoffice)

    @classmethod
    def _timed(cls, contractor, site, accept_after, done_after, score):
        with freeze_time("2026-03-02 08:00:00"):
            order = cls._order(contractor=contractor, site=site, done=False, name=f"Apparaat {contractor.name}")
        if accept_after is None:
            order.sudo().write({"state": "sent", "date_accepted": False})
            return order
        order.sudo().write({"date_accepted": order.date_sent + timedelta(hours=accept_after)})
        with freeze_time(order.date_sent + timedelta(hours=done_after)):
            order.action_done()
        speed, communication, quality, solved = score
        order.klusheeren_rating_id.action_submit(
            {"speed": speed, "communication": communication, "quality": quality, "solved": solved}
        )
        return order

    def _group(self, groupby, domain=()):
        fields = [
            "work_order_count:sum",
            "rated_count:sum",
            "speed:avg",
            "communication:avg",
            "quality:avg",
            "solved_rate:avg",
            "complaint_count:sum",
            "hours_to_accept:avg",
            "hours_to_complete:avg",
        ]
        rows = self.Report._read_group([("contractor_id", "in", (self.a | self.b).ids), *domain], [groupby], fields)
        return {group: dict(zip(fields, values, strict=True)) for group, *values in rows}

    def test_fixture_dates(self):
        self.assertEqual(str(self.wo1.date_sent), "2026-03-02 08:00:00")
        self.assertEqual(str(self.wo1.date_accepted), "2026-03-02 10:00:00")
        self.assertEqual(str(self.wo1.date_done), "2026-03-02 18:00:00")
        self.assertEqual(str(self.wo2.date_done), "2026-03-03 04:00:00")

    def test_per_contractor(self):
        stats = self._group("contractor_id")
        a, b = stats[self.a], stats[self.b]
        self.assertEqual(a["work_order_count:sum"], 3)
        self.assertEqual(a["rated_count:sum"], 2)
        self.assertAlmostEqual(a["speed:avg"], 4.0)
        self.assertAlmostEqual(a["communication:avg"], 3.0)
        self.assertAlmostEqual(a["quality:avg"], 2.0)
        self.assertAlmostEqual(a["solved_rate:avg"], 50.0)
        self.assertEqual(a["complaint_count:sum"], 1)
        self.assertAlmostEqual(a["hours_to_accept:avg"], 3.0)
        self.assertAlmostEqual(a["hours_to_complete:avg"], 15.0)
        self.assertEqual(b["work_order_count:sum"], 1)
        self.assertAlmostEqual(b["speed:avg"], 4.0)
        self.assertAlmostEqual(b["solved_rate:avg"], 100.0)
        self.assertEqual(b["complaint_count:sum"], 2)
        self.assertAlmostEqual(b["hours_to_accept:avg"], 1.0)
        self.assertAlmostEqual(b["hours_to_complete:avg"], 5.0)

    def test_per_site(self):
        stats = self._group("site_id")
        s1, s2 = stats[self.site], stats[self.site_2]
        self.assertEqual(s1["work_order_count:sum"], 2)
        self.assertAlmostEqual(s1["speed:avg"], 5.0)
        self.assertAlmostEqual(s1["solved_rate:avg"], 100.0)
        self.assertEqual(s1["complaint_count:sum"], 0)
        self.assertAlmostEqual(s1["hours_to_accept:avg"], 2.0)
        self.assertAlmostEqual(s1["hours_to_complete:avg"], 10.0)
        self.assertAlmostEqual(s2["speed:avg"], 3.5)
        self.assertAlmostEqual(s2["communication:avg"], 3.0)
        self.assertAlmostEqual(s2["quality:avg"], 2.5)
        self.assertAlmostEqual(s2["solved_rate:avg"], 50.0)
        self.assertEqual(s2["complaint_count:sum"], 3)
        self.assertAlmostEqual(s2["hours_to_accept:avg"], 2.5)
        self.assertAlmostEqual(s2["hours_to_complete:avg"], 12.5)

    def test_scorecard_on_the_contractor(self):
        a = self.a.with_user(self.backoffice)
        self.assertAlmostEqual(a.klusheeren_score_speed, 4.0)
        self.assertAlmostEqual(a.klusheeren_score_communication, 3.0)
        self.assertAlmostEqual(a.klusheeren_score_quality, 2.0)
        self.assertAlmostEqual(a.klusheeren_score_avg, 3.0)
        self.assertAlmostEqual(a.klusheeren_solved_rate, 50.0)
        self.assertEqual(a.klusheeren_complaint_count, 1)
        self.assertEqual(a.klusheeren_rated_count, 2)
        self.assertAlmostEqual(a.klusheeren_hours_to_accept, 3.0)
        self.assertAlmostEqual(a.klusheeren_hours_to_complete, 15.0)
        action = a.action_view_klusheeren_scorecard()
        self.assertEqual(action["res_model"], "klusheeren.rating.report")
        self.assertEqual(action["domain"], [("contractor_id", "=", self.a.id)])
        # a contractor without work orders has an empty scorecard
        self.assertEqual(self.contractor_en.with_user(self.backoffice).klusheeren_score_avg, 0)

    def test_scorecard_query_count(self):
        """One grouped query for any number of contractors: no query per partner."""
        few = self.a.with_user(self.backoffice)
        many = (self.a | self.b | self.contractor | self.contractor_en).with_user(self.backoffice)
        few.invalidate_recordset()
        with self.assertQueryCount(8):
            few.mapped("klusheeren_score_avg")
        many.invalidate_recordset()
        with self.assertQueryCount(8):
            many.mapped("klusheeren_score_avg")

    def test_views_render(self):
        Report = self.Report
        for view_type in ("pivot", "graph", "list", "search"):
            Report.get_view(view_type=view_type)
        data = Report.formatted_read_group(
            [("contractor_id", "=", self.a.id)], ["site_id"], ["speed:avg", "hours_to_complete:avg"]
        )
        self.assertEqual(len(data), 2)

    def test_ticket_statistics_carry_satisfaction_and_complaints(self):
        """klusheeren.ticket.report (klusheeren_helpdesk) gets the score and the complaints here."""
        TicketReport = self.env["klusheeren.ticket.report"]
        TicketReport._klusheeren_refresh()
        groups = {
            partner: (count, satisfaction, solved, complaints)
            for partner, count, satisfaction, solved, complaints in TicketReport.with_user(self.backoffice)._read_group(
                [("contractor_id", "in", (self.a | self.b).ids)],
                ["contractor_id"],
                ["__count", "satisfaction:avg", "solved_rate:avg", "complaint_count:sum"],
            )
        }
        self.assertEqual(groups[self.a][0], 3)
        self.assertAlmostEqual(groups[self.a][1], (4 + 2) / 2, msg="the mean of the rated work orders' scores")
        self.assertAlmostEqual(groups[self.a][2], 50.0)
        self.assertEqual(groups[self.a][3], 1)
        self.assertAlmostEqual(groups[self.b][1], 4)
        self.assertEqual(groups[self.b][3], 2)
        row = TicketReport.search([("ticket_id", "=", self.wo3.ticket_id.id)])
        self.assertFalse(row.satisfaction, "not rated: no score")
