from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KlusheerenEquipmentCase


@tagged("post_install", "-at_install")
class TestAccess(KlusheerenEquipmentCase):
    def test_back_office_reads_tokens(self):
        sticker = self.equipment.sticker_id.with_user(self.backoffice)
        self.assertTrue(sticker.token)
        self.assertTrue(self.equipment.with_user(self.backoffice).sticker_url)

    def test_others_cannot_read_tokens(self):
        sticker_id = self.equipment.sticker_id.id
        for user in (self.portal, self.public, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["klusheeren.sticker"].with_user(user).browse(sticker_id).read(["token"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["klusheeren.sticker"].with_user(user).search_read([], ["token"])

    def test_employee_cannot_read_token_through_equipment(self):
        # maintenance lets employees read the equipment they follow, never its sticker token
        self.equipment.message_subscribe(partner_ids=self.employee.partner_id.ids)
        equipment = self.equipment.with_user(self.employee)
        self.assertEqual(equipment.name, "Koelkast 2.21")
        with self.assertRaises(AccessError):
            equipment.read(["sticker_url"])

    def test_only_back_office_creates_batches_only_manager_deletes(self):
        Batch = self.env["klusheeren.sticker.batch"]
        with self.assertRaises(AccessError):
            Batch.with_user(self.employee).create({"quantity": 1})
        batch = Batch.with_user(self.backoffice).create({"quantity": 2})
        with self.assertRaises(AccessError):
            batch.with_user(self.backoffice).unlink()
        batch.with_user(self.manager).unlink()

    def test_sticker_sheet_report_is_for_back_office(self):
        report = self.env.ref("klusheeren_equipment.action_report_sticker_sheet")
        self.assertIn(self.env.ref("klusheeren_base.group_klusheeren_user"), report.group_ids)
