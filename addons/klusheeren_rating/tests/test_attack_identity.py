# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md, ``attack_common``): who acts as whom: a stranger typing a known
e-mail address, a colleague of the customer company.
"""

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .attack_common import KlusheerenAttackCase


@tagged("post_install", "-at_install", "klusheeren_security")
class TestAttackIdentity(KlusheerenAttackCase):
    def _report_as(self, email, phone="06-99999999"):
        response = self.post_report(email=email, phone=phone, name="Indringer")
        self.assertEqual(response.status_code, 200)
        return self.Ticket.search([], order="id desc", limit=1)

    def test_01_report_with_a_back_office_users_email_binds_nothing(self):
        # the team's leader follows unrouted tickets (its "Route ticket" activity): not this user here
        self.team.user_id = self.manager
        ticket = self._report_as(self.backoffice.email)
        self.assertNotEqual(ticket.partner_id, self.bo_partner)
        self.assertTrue(ticket.partner_id.klusheeren_reporter_contact)
        self.assertEqual(self.bo_partner.phone, "020-1111111", "the typed phone is not written")
        self.assertEqual(self.bo_partner.name, self.backoffice.name)
        self.assertNotIn(self.bo_partner, ticket.message_partner_ids)

    def test_02_report_with_a_contractors_email_binds_nothing(self):
        ticket = self._report_as(self.contractor.email)
        self.assertNotEqual(ticket.partner_id, self.contractor)
        self.assertFalse(self.contractor.phone)

    def test_03_report_with_a_portal_users_email_binds_nothing(self):
        ticket = self._report_as(self.colleague.partner_id.email or "kh_collega@example.com")
        self.assertNotEqual(ticket.partner_id, self.colleague.partner_id)
        self.assertNotEqual(ticket.partner_id.commercial_partner_id, self.customer)

    def test_04_report_with_a_company_email_binds_nothing(self):
        self.customer.email = "info@klant-een.example.com"
        ticket = self._report_as("INFO@klant-een.example.com")
        self.assertNotEqual(ticket.partner_id, self.customer)
        self.assertFalse(ticket.partner_id.is_company)

    def test_05_returning_reporter_reuses_its_own_contact_unchanged(self):
        first = self._report_as("terug@example.com", phone="06-11111111")
        second = self._report_as("Terug@Example.com", phone="06-22222222")
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(second.partner_id.phone, "06-11111111", "a later report writes nothing on it")
        self.assertEqual(second.partner_phone, "06-22222222", "the report's phone is on the ticket")

    def test_23_colleague_without_the_link_cannot_complain(self):
        self.as_colleague()
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200, "a colleague reads the company's ticket")
        self.assertNotIn("kh_complaint_form", page.text, "but is not offered the reporter's role")
        with self.assertNothingChanges():
            response = self.url_open(
                f"/my/ticket/{self.ticket.id}/complaint",
                data={"reason": "other", "description": "namens een ander", "csrf_token": self.csrf("/web/login")},
            )
        self.assertEqual(response.status_code, 404)

    def test_90_colleague_cannot_act_on_tickets_over_rpc(self):
        self.as_colleague()
        self.assertRpcRefused("helpdesk.ticket", "write", [self.ticket.ids, {"stage_id": self.stage("closed").id}])
        self.assertRpcRefused("helpdesk.ticket", "message_post", [self.ticket.ids], {"body": "namens de melder"})
        self.assertRpcRefused("helpdesk.ticket", "action_create_work_order", [self.ticket.ids])
        self.assertRpcRefused("res.partner", "write", [self.ticket.partner_id.ids, {"email": "kaping@example.com"}])

    def test_91_request_form_takes_only_own_sites_and_their_equipment(self):
        self.as_customer()
        base = {"subject": "Lekkage", "description": "water", "site": str(self.site.id)}
        attempts = {
            "another company's site": {"site": str(self.other_site.id)},
            "equipment of another company": {"equipment": str(self.other_equipment.id)},
            "a contractor as site": {"site": str(self.contractor.id)},
            "the back office's contact as site": {"site": str(self.bo_partner.id)},
            "no site while the company has sites": {"site": ""},
            "a category not shown in the portal": {
                "category": str(
                    self.env["helpdesk.ticket.category"].create({"name": "Intern", "show_in_portal": False}).id
                )
            },
            "a number too large": {"site": "9" * 30},
        }
        for name, fields in attempts.items():
            with self.subTest(name), self.assertNothingChanges():
                response = self.url_open(
                    "/submitted/ticket",
                    data={**base, **fields, "csrf_token": self.csrf("/new/ticket")},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("Vaatwasser", response.text)
                self.assertNotIn("Locatie Utrecht", response.text)

    def test_92_portal_reads_no_rules_and_routes_nothing(self):
        rule = self.env["klusheeren.responsibility"].create(
            {"name": "Geheim", "site_id": self.site.id, "contractor_id": self.contractor.id}
        )
        area = self.env["klusheeren.area"].create({"name": "Geheim gebied", "site_ids": [(6, 0, self.site.ids)]})
        self.ticket.sudo().responsibility_id = rule
        for login in (("kh_klant", "kh_klant_pw1"), ("kh_jansen", "kh_jansen_pw1")):
            with self.subTest(login=login[0]):
                self.authenticate(*login)
                self.assertRpcRefused("klusheeren.responsibility", "search_read", [[]], {"fields": ["name"]})
                self.assertRpcRefused("klusheeren.responsibility", "read", [rule.ids, ["name"]])
                self.assertRpcRefused("klusheeren.area", "search_read", [[]], {"fields": ["name"]})
                self.assertRpcRefused("klusheeren.area", "write", [area.ids, {"name": "weg"}])
                self.assertRpcRefused("klusheeren.responsibility", "create", [{"name": "Eigen regel", "team_id": 1}])
                self.assertRpcRefused("helpdesk.ticket", "action_klusheeren_route", [self.ticket.ids])
                self.assertRpcRefused("klusheeren.work.order", "action_klusheeren_reassign", [self.order.ids])
                self.assertRpcRefused(
                    "klusheeren.work.order.reassign",
                    "create",
                    [{"work_order_id": self.order.id, "contractor_id": self.contractor_en.id}],
                )
        self.as_customer()
        # the rule on the company's own ticket: not readable, not searchable
        self.assertRpcRefused("helpdesk.ticket", "read", [self.ticket.ids, ["responsibility_id"]])
        self.assertRpcRefused(
            "helpdesk.ticket", "search_read", [[("responsibility_id", "=", rule.id)]], {"fields": ["name"]}
        )
        # private methods are not reachable over JSON-RPC at all
        self.assertRpcRefused("helpdesk.ticket", "_klusheeren_create_request", [{"name": "x", "description": "y"}])
        self.assertRpcRefused("helpdesk.ticket", "_klusheeren_contractor", [self.ticket.ids])

    def test_93_a_request_only_for_me_stays_mine(self):
        self.as_customer()
        self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Alleen voor mij",
                "description": "privé",
                "site": str(self.site.id),
                "share": "me",
                "csrf_token": self.csrf("/new/ticket"),
                "idempotency_key": "test-93-only-for-me",
            },
        )
        mine = self.env["helpdesk.ticket"].search([("name", "=", "Alleen voor mij")])
        self.assertTrue(mine.klusheeren_private)
        self.as_colleague()
        with self.assertNothingChanges():
            self.assertIn(self.url_open(f"/my/ticket/{mine.id}", allow_redirects=False).status_code, (302, 303))
            self.assertNotIn("Alleen voor mij", self.url_open("/my/tickets?search=Alleen&search_in=all").text)
            with self.assertRaises(JsonRpcException):
                self.rpc("helpdesk.ticket", "read", [mine.ids, ["name"]])
            self.assertFalse(self.rpc("helpdesk.ticket", "search_read", [[("id", "=", mine.id)]], {"fields": ["name"]}))
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {"thread_model": "helpdesk.ticket", "thread_id": mine.id, "post_data": {"body": "meelezen"}},
                )
