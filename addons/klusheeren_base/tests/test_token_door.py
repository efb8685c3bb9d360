# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one door of the token pages (``klusheeren.token.mixin._klusheeren_from_token``), on every
model that has it: tickets, work orders, ratings, complaints and visits, as installed."""

from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.klusheeren_token_door import checked_id, token_shaped
from ..models.klusheeren_token_mixin import new_token, rotate_token

JUNK_IDS = (None, "", "abc", "1; DROP TABLE", -1, 0, 2**31, 2**80, 1.5, True, [1], {"id": 1}, " 1", "１")
JUNK_TOKENS = (None, "", "x", "x" * 19, "x" * 129, ["list"], 12345678901234567890, b"bytes" * 8, "é" * 43, "a b" * 10)


@tagged("post_install", "-at_install")
class TestTokenDoor(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        names = cls.env.registry.descendants(["klusheeren.token.door"], "_inherit")
        cls.models = sorted(name for name in names if not cls.env[name]._abstract)
        # one record of each, made by the demo data or the tests of the addons installed
        cls.records = [rec for rec in (cls.env[name].sudo().search([], limit=1) for name in cls.models) if rec]
        for record in cls.records:
            record._portal_ensure_token()
        cls.portal = new_test_user(cls.env, login="kh_door_portal", groups="base.group_portal")

    def test_token_shape_and_ids(self):
        self.assertEqual(len(new_token()), 43, "256 bits, URL-safe")
        self.assertTrue(token_shaped(new_token()))
        self.assertTrue(token_shaped("0b6e7c1e-5c4f-4a8e-9c3d-2f1a0b9c8d7e"), "Odoo's UUID4 tokens of older records")
        for junk in JUNK_TOKENS:
            self.assertFalse(token_shaped(junk), junk)
        self.assertEqual(checked_id(42), 42)
        self.assertEqual(checked_id("42"), 42, "a route's string")
        for junk in JUNK_IDS:
            self.assertIsNone(checked_id(junk), junk)

    def test_every_token_page_model_has_the_door(self):
        for name in self.models:
            with self.subTest(model=name):
                self.assertTrue(hasattr(self.env[name], "_klusheeren_from_token"))
                self.assertIn(
                    self.env[name]._fields["access_token"].groups,
                    ("base.group_user", "klusheeren_base.group_klusheeren_user"),
                    "readable by internal users (or fewer) only",
                )

    def test_the_token_opens_its_record_only(self):
        for record in self.records:
            with self.subTest(model=record._name):
                Model = self.env[record._name].with_user(self.portal)
                found = Model._klusheeren_from_token(record.id, record.access_token)
                self.assertEqual(found, record)
                self.assertTrue(found.env.su, "handed over as superuser: the door is the check")
                self.assertEqual(Model._klusheeren_from_token(str(record.id), record.access_token), record)
                # a token of another model's record, or of nothing, opens nothing
                for other in self.records:
                    if other != record:
                        self.assertFalse(Model._klusheeren_from_token(record.id, other.access_token))
                self.assertFalse(Model._klusheeren_from_token(record.id, new_token()))
                # one character changed (never "changed" into itself: the last of 43 base64 characters holds 4 bits,
                # so 1 token in 16 ends in "A")
                token = record.access_token
                self.assertFalse(
                    Model._klusheeren_from_token(record.id, token[:-1] + ("A" if token[-1] != "A" else "B"))
                )
                self.assertFalse(Model._klusheeren_from_token(2**31 - 1, record.access_token), "unknown id")

    def test_junk_never_raises_and_opens_nothing(self):
        for record in self.records:
            Model = self.env[record._name].with_user(self.portal)
            for junk in JUNK_IDS:
                with self.subTest(model=record._name, record_id=junk):
                    self.assertFalse(Model._klusheeren_from_token(junk, record.access_token))
                    self.assertFalse(Model._klusheeren_from_login_or_token(junk, record.access_token))
            for junk in JUNK_TOKENS:
                with self.subTest(model=record._name, token=junk):
                    self.assertFalse(Model._klusheeren_from_token(record.id, junk))
                    self.assertFalse(record._klusheeren_token_is(junk))

    def test_a_token_dies_with_its_record(self):
        for record in self.records:
            with self.subTest(model=record._name):
                Model = self.env[record._name].with_user(self.portal)
                with patch.object(type(self.env[record._name]), "_klusheeren_token_alive", lambda self: False):
                    self.assertFalse(Model._klusheeren_from_token(record.id, record.access_token))
                    self.assertFalse(Model._klusheeren_from_login_or_token(record.id, record.access_token))
                old = record.access_token
                rotate_token(record)
                self.assertFalse(Model._klusheeren_from_token(record.id, old), "rotated: the old link is dead")
                self.assertEqual(Model._klusheeren_from_token(record.id, record.access_token), record)

    def test_login_or_token(self):
        for record in self.records:
            with self.subTest(model=record._name):
                Model = self.env[record._name]
                # the back office (superuser here) reads it: opened without a token, as core does
                self.assertEqual(Model._klusheeren_from_login_or_token(record.id, None), record)
                as_portal = Model.with_user(self.portal)
                if not record.with_user(self.portal).has_access("read"):
                    self.assertFalse(as_portal._klusheeren_from_login_or_token(record.id, None))
                    self.assertFalse(as_portal._klusheeren_from_login_or_token(record.id, new_token()))
                found = as_portal._klusheeren_from_login_or_token(record.id, record.access_token)
                self.assertEqual(found, record)
                self.assertTrue(found.env.su)

    def test_nobody_writes_a_token_by_hand(self):
        backoffice = new_test_user(self.env, login="kh_door_bo", groups="base.group_user,base.group_system")
        for record in self.records:
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(backoffice).write({"access_token": new_token()})
