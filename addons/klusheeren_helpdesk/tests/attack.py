"""The attack suite's helpers (docs/SECURITY.md), shared by every addon that adds cases to it
(klusheeren_rating's suite, klusheeren_visit, klusheeren_finance, klusheeren_privacy): each case
is a real HTTP or JSON-RPC request and asserts the refusal *and* an unchanged database."""

from contextlib import contextmanager

from odoo.tests.common import JsonRpcException

# What "the database did not change" means for the tables of klusheeren_helpdesk; an addon's
# suite adds its own tables (``FINGERPRINT_SQL = {**HELPDESK_FINGERPRINT_SQL, ...}``).
HELPDESK_FINGERPRINT_SQL = {
    "tickets": """SELECT count(*), md5(string_agg(concat_ws('|', id, stage_id, partner_id, user_id,
                         partner_name, partner_email, partner_phone, access_token), ',' ORDER BY id))
                         FROM helpdesk_ticket""",
    "work_orders": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, contractor_id,
                         appointment_date, amount_total, warranty, contractor_reference,
                         contractor_remarks, access_token, refuse_reason, hold_reason),
                         ',' ORDER BY id)) FROM klusheeren_work_order""",
    "partners": """SELECT count(*), md5(string_agg(concat_ws('|', id, name, email, phone, parent_id, active),
                         ',' ORDER BY id)) FROM res_partner""",
    "work_order_lines": """SELECT count(*), md5(string_agg(concat_ws('|', id, work_order_id, product_id,
                         name, quantity, uom_id, price_unit, price_subtotal, line_type), ',' ORDER BY id))
                         FROM klusheeren_work_order_line""",
    "mail_mail": "SELECT count(*) FROM mail_mail",
    "messages": "SELECT count(*) FROM mail_message",
    "attachments": """SELECT count(*), md5(string_agg(concat_ws('|', id, res_model, res_id, name),
                         ',' ORDER BY id)) FROM ir_attachment""",
    "shared_files": "SELECT count(*) FROM klusheeren_ticket_shared_attachment_rel",
    "activities": "SELECT count(*) FROM mail_activity",
    "followers": "SELECT count(*) FROM mail_followers",
    "rules": """SELECT count(*), md5(string_agg(concat_ws('|', id, sequence, team_id, user_id, contractor_id,
                         area_id, site_id), ',' ORDER BY id)) FROM klusheeren_responsibility""",
    "areas": """SELECT count(*), md5(string_agg(concat_ws('|', id, name, parent_id), ',' ORDER BY id))
                         FROM klusheeren_area""",
    "settings": """SELECT count(*), md5(string_agg(concat_ws('|', key, value), ',' ORDER BY key))
                         FROM ir_config_parameter WHERE key LIKE 'klusheeren%%'""",
}


class AttackMixin:
    """For an ``HttpCase``: the database's fingerprint, and the assertions built on it."""

    FINGERPRINT_SQL = HELPDESK_FINGERPRINT_SQL

    def fingerprint(self):
        self.env.flush_all()
        result = {}
        for name, query in self.FINGERPRINT_SQL.items():
            self.env.cr.execute(query)
            result[name] = self.env.cr.fetchone()
        return result

    @contextmanager
    def assertNothingChanges(self):
        before = self.fingerprint()
        yield
        self.env.invalidate_all()
        after = self.fingerprint()
        changed = [name for name in before if before[name] != after[name]]
        self.assertFalse(changed, f"the attack changed the database: {changed}")

    def rpc(self, model, method, args=(), kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs or {}},
        )

    def assertRpcRefused(self, model, method, args=(), kwargs=None, error="AccessError"):
        with self.assertNothingChanges():
            with self.assertRaises(JsonRpcException) as caught:
                self.rpc(model, method, args, kwargs)
        self.assertIn(error, str(caught.exception))
