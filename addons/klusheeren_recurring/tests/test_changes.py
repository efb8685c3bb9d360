from freezegun import freeze_time

from odoo.tests import tagged

from .common import KlusheerenRecurringCase


@tagged("post_install", "-at_install")
class TestChanges(KlusheerenRecurringCase):
    """Pausing, ending, archiving equipment and changing the schedule re-plan only what lies
    ahead and was not sent; a work order that was sent stays as it is."""

    def setUp(self):
        super().setUp()
        self.no_mail = self.env["res.partner"].create(
            {"name": "Belmonteur", "is_company": True, "klusheeren_is_contractor": True}
        )
        self.by_phone = self.env["maintenance.equipment"].create(
            {"name": "Ijsmachine", "site_id": self.site.id, "contractor_id": self.no_mail.id}
        )
        self.job = self.make_job(date_start="2027-03-05", equipment_ids=[(6, 0, (self.equipment | self.by_phone).ids)])
        self.run_at("2027-03-01 06:00:00", self.job)
        self.sent = self.job.occurrence_ids.filtered(lambda o: o.work_order_id.state == "sent")
        self.draft = self.job.occurrence_ids.filtered(lambda o: o.work_order_id.state == "draft")
        self.assertEqual((len(self.sent), len(self.draft)), (1, 1))
        self.draft_ticket = self.draft.ticket_id

    def assertSentStays(self):
        self.assertTrue(self.sent.exists())
        self.assertEqual(self.sent.work_order_id.state, "sent")
        self.assertEqual(str(self.sent.work_order_id.planned_date), "2027-03-05")

    def test_pause_and_resume(self):
        with freeze_time("2027-03-02 06:00:00"):
            self.job.action_pause()
        self.assertSentStays()
        self.assertFalse(self.draft.exists(), "the draft never left: gone, with its ticket")
        self.assertFalse(self.draft_ticket.exists())
        self.assertEqual(self.job.occurrence_ids, self.sent)
        self.run_at("2027-03-10 06:00:00", self.job)
        self.assertEqual(self.job.occurrence_ids, self.sent, "a paused job plans nothing")
        with freeze_time("2027-03-20 06:00:00"):
            self.job.action_resume()
        self.assertEqual(
            self.dates(self.job.occurrence_ids.filtered(lambda o: o.state == "planned"))[:2],
            ["2027-04-05", "2027-04-05"],
        )
        self.assertFalse(self.job.missed_count, "the paused weeks are not 'missed'")

    def test_end(self):
        with freeze_time("2027-03-02 06:00:00"):
            self.job.action_end()
        self.assertSentStays()
        self.assertEqual(self.job.occurrence_ids, self.sent)
        self.run_at("2027-05-02 06:00:00", self.job)
        self.assertEqual(self.job.occurrence_ids, self.sent)

    def test_end_date_in_the_future(self):
        with freeze_time("2027-03-02 06:00:00"):
            self.job.write({"end_type": "date", "date_end": "2027-06-30"})
        self.assertSentStays()
        self.assertEqual(
            self.dates(self.job.occurrence_ids.filtered(lambda o: o.equipment_id == self.equipment)),
            ["2027-03-05", "2027-04-05", "2027-05-05", "2027-06-05"],
        )

    def test_archive_equipment(self):
        with freeze_time("2027-03-02 06:00:00"):
            self.equipment.action_archive()
        self.assertSentStays()
        left = self.job.occurrence_ids - self.sent
        self.assertEqual(left.equipment_id, self.by_phone)
        self.assertTrue(self.draft.exists(), "the other equipment's occurrences stay")
        self.run_at("2027-03-03 06:00:00", self.job)
        self.assertEqual((self.job.occurrence_ids - self.sent).equipment_id, self.by_phone)

    def test_schedule_change(self):
        with freeze_time("2027-03-02 06:00:00"):
            self.job.write({"interval_type": "weeks", "interval_number": 2, "date_start": "2027-03-08"})
        self.assertSentStays()
        self.assertFalse(self.draft_ticket.exists())
        mine = (self.job.occurrence_ids - self.sent).filtered(lambda o: o.equipment_id == self.equipment)
        self.assertEqual(self.dates(mine)[:3], ["2027-03-08", "2027-03-22", "2027-04-05"])
        self.assertEqual(self.job.lead_days, 2, "the default lead time follows the unit")
        self.assertEqual(set(mine.mapped("send_date")) & set(mine.mapped("due_date")), set())
