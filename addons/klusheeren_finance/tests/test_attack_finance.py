"""The finance batches' cases of the attack suite (docs/SECURITY.md): what the UI shows read-only
(a batch's state, who exported it and when, its files, its number) cannot be written over
JSON-RPC by a group without the business right; each case asserts the refusal and an unchanged
database."""

from datetime import date, timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin
from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase

from .common import KlusheerenFinanceCase

FINGERPRINT_SQL = {
    **HELPDESK_FINGERPRINT_SQL,
    "batches": """SELECT count(*), md5(string_agg(concat_ws('|', id, name, state, date_exported, exported_by_id,
                         xlsx_attachment_id, csv_attachment_id), ',' ORDER BY id)) FROM klusheeren_finance_export""",
    "bound_orders": """SELECT md5(string_agg(concat_ws('|', id, klusheeren_export_id), ',' ORDER BY id))
                         FROM klusheeren_work_order""",
}


@tagged("post_install", "-at_install", "klusheeren_security")
class TestFinanceAttacks(AttackMixin, HttpCase, KlusheerenFinanceCase):
    FINGERPRINT_SQL = FINGERPRINT_SQL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = KlusheerenHelpdeskCase.report(cls).work_order_ids
        cls.order.action_accept()
        cls.order.sudo().contractor_save({"amount_total": 250.0})
        cls.order.sudo().action_done()
        cls.open_order = KlusheerenHelpdeskCase.report(cls).work_order_ids
        cls.batch = cls.Export.create({"date_from": date.today() - timedelta(days=1), "date_to": date.today()})
        cls.batch.action_export()
        cls.draft = cls.Export.create({"date_from": date.today() - timedelta(days=1), "date_to": date.today()})

    def test_f1_finance_cannot_reopen_a_batch_by_writing_its_state(self):
        self.authenticate("kh_finance", "kh_finance")
        self.assertRpcRefused("klusheeren.finance.export", "write", [self.batch.ids, {"state": "draft"}])

    def test_f2_back_office_cannot_mark_a_draft_exported(self):
        self.authenticate("kh_bo", "kh_boxxx")
        self.assertRpcRefused("klusheeren.finance.export", "write", [self.draft.ids, {"state": "exported"}])

    def test_f3_who_exported_when_cannot_be_rewritten(self):
        self.authenticate("kh_finance", "kh_finance")
        for vals in (
            {"exported_by_id": self.manager.id},
            {"date_exported": "2020-01-01 00:00:00"},
            {"xlsx_attachment_id": False},
            {"name": "EXP-999"},
        ):
            with self.subTest(vals=vals):
                self.assertRpcRefused("klusheeren.finance.export", "write", [self.batch.ids, vals])

    def test_f4_a_batch_cannot_be_created_exported(self):
        self.authenticate("kh_bo", "kh_boxxx")
        self.assertRpcRefused(
            "klusheeren.finance.export",
            "create",
            [
                {
                    "date_from": "2026-01-01",
                    "date_to": "2026-01-31",
                    "state": "exported",
                    "exported_by_id": self.manager.id,
                }
            ],
        )

    def test_f5_finance_reads_amounts_but_changes_none(self):
        self.authenticate("kh_finance", "kh_finance")
        [row] = self.rpc("klusheeren.work.order", "read", [self.order.ids, ["amount_total"]])
        self.assertEqual(row["amount_total"], 250.0)
        # done: locked for everyone but a manager; and finance has no write access at all
        self.assertRpcRefused(
            "klusheeren.work.order", "write", [self.order.ids, {"amount_total": 1.0}], error="UserError"
        )
        self.assertRpcRefused("klusheeren.work.order", "write", [self.open_order.ids, {"amount_total": 1.0}])
        self.assertRpcRefused("klusheeren.work.order", "contractor_save", [self.order.ids, {"amount_total": 1.0}])

    def test_f6_finance_reads_no_contractor_link(self):
        self.authenticate("kh_finance", "kh_finance")
        self.assertRpcRefused("klusheeren.work.order", "read", [self.order.ids, ["access_token"]])
        self.assertRpcRefused("klusheeren.work.order", "search", [[("access_token", "!=", False)]])

    def test_f7_reopening_is_a_managers_right_only(self):
        self.authenticate("kh_finance", "kh_finance")
        self.assertRpcRefused("klusheeren.finance.export", "action_reopen", [self.batch.ids, "te vroeg"])
