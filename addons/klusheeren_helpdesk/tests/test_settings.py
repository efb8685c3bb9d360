"""Settings > KlusHeeren: the form saves to the system parameters, refuses values that would
break the jobs, and the jobs read what was saved."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.klusheeren_base.tools.upload import MAX_FILE_BYTES, max_file_bytes

from .common import KlusheerenHelpdeskCase

T0 = datetime(2030, 3, 4, 9, 0, 0)
PARAMS = {
    "klusheeren_reminder_delay_hours": "klusheeren_helpdesk.reminder_delay_hours",
    "klusheeren_reminder_max": "klusheeren_helpdesk.reminder_max",
    "klusheeren_autoclose_days": "klusheeren_helpdesk.autoclose_days",
    "klusheeren_upload_max_mb": "klusheeren_equipment.upload_max_mb",
}


@tagged("post_install", "-at_install")
class TestSettings(KlusheerenHelpdeskCase):
    def setUp(self):
        super().setUp()
        ICP = self.env["ir.config_parameter"].sudo()
        saved = {key: ICP.get_param(key) for key in PARAMS.values()}

        def restore():
            # the transaction is rolled back after each test; the parameter cache is not
            for key, value in saved.items():
                ICP.set_param(key, value)
            self.env.registry.clear_cache("stable")

        self.addCleanup(restore)

    def settings_form(self):
        return Form(self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")))

    def test_form_saves_to_the_parameters_and_shows_them(self):
        form = self.settings_form()
        form.klusheeren_reminder_delay_hours = 12
        form.klusheeren_reminder_max = 2
        form.klusheeren_autoclose_days = 3
        form.klusheeren_upload_max_mb = 4
        form.save().execute()
        ICP = self.env["ir.config_parameter"].sudo()
        self.assertEqual(
            {key: ICP.get_param(key) for key in PARAMS.values()},
            {
                "klusheeren_helpdesk.reminder_delay_hours": "12",
                "klusheeren_helpdesk.reminder_max": "2",
                "klusheeren_helpdesk.autoclose_days": "3",
                "klusheeren_equipment.upload_max_mb": "4",
            },
        )
        self.assertEqual(max_file_bytes(self.env), 4 * 1024 * 1024)
        again = self.settings_form()
        self.assertEqual(again.klusheeren_reminder_delay_hours, 12)
        self.assertEqual(again.klusheeren_upload_max_mb, 4)

    def test_zero_negative_and_huge_values_are_refused_with_a_message(self):
        ICP = self.env["ir.config_parameter"].sudo()
        before = {key: ICP.get_param(key) for key in PARAMS.values()}
        cases = {
            "klusheeren_reminder_delay_hours": (0, "“Remind contractors every (hours)” must be at least 1 (it is 0)."),
            "klusheeren_reminder_max": (-1, "“Reminders before the back office is told” must be at least 1"),
            "klusheeren_autoclose_days": (0, "“Close resolved tickets after (days)” must be at least 1"),
            "klusheeren_upload_max_mb": (500, "“Largest file (MB)” can be at most 100 (it is 500)."),
        }
        for field, (value, message) in cases.items():
            with self.subTest(field=field):
                form = self.settings_form()
                setattr(form, field, value)
                with self.assertRaises(ValidationError) as caught:
                    form.save()
                self.assertIn(message, str(caught.exception))
        self.assertEqual({key: ICP.get_param(key) for key in PARAMS.values()}, before, "nothing was saved")
        self.assertEqual(max_file_bytes(self.env), MAX_FILE_BYTES, "nothing was saved")

    def test_a_parameter_edited_by_hand_to_nonsense_falls_back_to_the_default(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_equipment.upload_max_mb", "-3")
        self.assertEqual(max_file_bytes(self.env), MAX_FILE_BYTES)
        ICP.set_param("klusheeren_equipment.upload_max_mb", "veel")
        self.assertEqual(max_file_bytes(self.env), MAX_FILE_BYTES)
        ICP.set_param("klusheeren_helpdesk.reminder_delay_hours", "0")
        with freeze_time(T0):
            order = self.report().work_order_ids
            self.send_pending()
        with freeze_time(T0 + timedelta(hours=2)):
            self.WorkOrder._cron_remind()
        self.assertEqual(order.reminder_count, 0, "0 hours is read as the default 24, not 'remind every run'")

    def test_the_reminder_job_uses_the_saved_interval_and_count(self):
        form = self.settings_form()
        form.klusheeren_reminder_delay_hours = 2
        form.klusheeren_reminder_max = 1
        form.save().execute()
        with freeze_time(T0):
            order = self.report().work_order_ids
            order.user_id = self.backoffice
            self.send_pending()
        with freeze_time(T0 + timedelta(hours=1)):
            self.WorkOrder._cron_remind()
        self.assertEqual(order.reminder_count, 0)
        with freeze_time(T0 + timedelta(hours=3)):
            self.WorkOrder._cron_remind()
        self.assertEqual(order.reminder_count, 1, "reminded after 2 hours, not 24")
        self.assertFalse(order.activity_ids)
        with freeze_time(T0 + timedelta(hours=6)):
            self.WorkOrder._cron_remind()
        self.assertEqual(order.reminder_count, 1, "one reminder at most")
        self.assertEqual(order.activity_ids.user_id, self.backoffice)

    def test_the_autoclose_job_uses_the_saved_days(self):
        form = self.settings_form()
        form.klusheeren_autoclose_days = 2
        form.save().execute()
        with freeze_time(T0):
            ticket = self.report()
            ticket._klusheeren_set_stage("resolved")
        with freeze_time(T0 + timedelta(days=1)):
            self.env["helpdesk.ticket"]._cron_close_resolved()
        self.assertEqual(ticket.stage_id, self.env.ref("klusheeren_helpdesk.stage_resolved"))
        with freeze_time(T0 + timedelta(days=3)):
            self.env["helpdesk.ticket"]._cron_close_resolved()
        self.assertEqual(ticket.stage_id, self.env.ref("klusheeren_helpdesk.stage_closed"))

    def test_the_settings_screen_has_one_klusheeren_app(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertEqual(arch.count('name="klusheeren_helpdesk"'), 1)
        for field in PARAMS:
            self.assertIn(f'name="{field}"', arch)
