import re

import psycopg2.errors

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KlusheerenEquipmentCase


@tagged("post_install", "-at_install")
class TestSticker(KlusheerenEquipmentCase):
    def test_every_equipment_gets_a_sticker_with_a_strong_token(self):
        sticker = self.equipment.sticker_id
        self.assertEqual(sticker.state, "bound")
        self.assertEqual(sticker.equipment_id, self.equipment)
        self.assertRegex(sticker.name, r"^KH-S-\d{6}$")
        # at least 128 bits of randomness, URL-safe alphabet only
        self.assertGreaterEqual(len(sticker.token), 22)
        self.assertTrue(re.fullmatch(r"[A-Za-z0-9_-]+", sticker.token))
        self.assertEqual(
            self.equipment.sticker_url,
            f"{self.equipment.get_base_url()}/qr/{sticker.token}",
        )

    def test_tokens_are_unique(self):
        batch = self.env["klusheeren.sticker.batch"].create({"quantity": 50})
        tokens = batch.sticker_ids.mapped("token")
        self.assertEqual(len(tokens), 50)
        self.assertEqual(len(set(tokens)), 50)
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            self.Sticker.create({"token": self.equipment.sticker_id.token})

    def test_duplicate_equipment_gets_its_own_sticker(self):
        copy = self.equipment.copy()
        self.assertTrue(copy.sticker_id)
        self.assertNotEqual(copy.sticker_id, self.equipment.sticker_id)
        self.assertNotEqual(copy.sticker_id.token, self.equipment.sticker_id.token)
        self.assertEqual(self.equipment.sticker_id.equipment_id, self.equipment)

    def test_find_by_token(self):
        sticker = self.equipment.sticker_id
        self.assertEqual(self.Sticker._find_by_token(sticker.token), sticker)
        for junk in (None, "", "x", sticker.token[:-1], sticker.token + "A", "' OR 1=1 --", 42, "é" * 30):
            self.assertFalse(self.Sticker._find_by_token(junk), junk)

    def test_contractor_defaults_from_category_else_site(self):
        eq = self.Equipment.create({"name": "A", "site_id": self.site.id})
        self.assertEqual(eq.contractor_id, self.contractor_site)
        eq.category_id = self.category
        self.assertEqual(eq.contractor_id, self.contractor_cat)
        eq2 = self.Equipment.create({"name": "B", "site_id": self.site.id, "category_id": self.category.id})
        self.assertEqual(eq2.contractor_id, self.contractor_cat)
        # an explicit choice wins
        eq3 = self.Equipment.create(
            {
                "name": "C",
                "site_id": self.site.id,
                "contractor_id": self.contractor_site.id,
                "category_id": self.category.id,
            }
        )
        self.assertEqual(eq3.contractor_id, self.contractor_site)

    def test_replace_sticker(self):
        old = self.equipment.sticker_id
        old_token = old.token
        with self.assertRaises(AccessError):
            self.equipment.with_user(self.backoffice).action_replace_sticker()
        self.equipment.with_user(self.manager).action_replace_sticker()
        new = self.equipment.sticker_id
        self.assertNotEqual(new, old)
        self.assertEqual(old.state, "retired")
        self.assertTrue(old.date_retired)
        self.assertEqual(new.state, "bound")
        self.assertFalse(self.Sticker._find_by_token(old_token))
        self.assertEqual(self.Sticker._find_by_token(new.token), new)
        body = self.equipment.message_ids[:1].body
        self.assertIn(old.name, body)
        self.assertIn(new.name, body)

    def test_register_binds_once(self):
        batch = self.env["klusheeren.sticker.batch"].create({"quantity": 3})
        self.assertEqual(batch.free_count, 3)
        sticker = batch.sticker_ids[0]
        self.assertEqual(sticker.state, "free")
        equipment = sticker.with_user(self.backoffice).action_register(
            {
                "name": "Boiler",
                "site_id": self.site.id,
                "exact_location": "Kelder",
                "serial_no": "SN-1",
                "category_id": self.category.id,
                "token": "ignored",
            }
        )
        self.assertEqual(equipment.sticker_id, sticker)
        self.assertEqual(sticker.state, "bound")
        self.assertEqual(equipment.contractor_id, self.contractor_cat)
        self.assertEqual(equipment.serial_no, "SN-1")
        self.assertEqual(batch.free_count, 2)
        with self.assertRaises(UserError):
            sticker.action_register({"name": "Other", "site_id": self.site.id})
        self.assertEqual(sticker.equipment_id, equipment)
        # nor can a bound sticker be given to another equipment
        with self.assertRaises(UserError):
            self.Equipment.create({"name": "Thief", "sticker_id": sticker.id})

    def test_batch_quantity_bounds(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.env["klusheeren.sticker.batch"].create({"quantity": 0})
