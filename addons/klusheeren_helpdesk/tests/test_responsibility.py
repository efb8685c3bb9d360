import logging

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KlusheerenHelpdeskCase

ROUTE = "klusheeren_helpdesk.mail_activity_type_route"
_logger = logging.getLogger(__name__)


class ResponsibilityCase(KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["klusheeren.responsibility"]
        cls.Area = cls.env["klusheeren.area"]
        cls.colleague = new_test_user(
            cls.env,
            login="kh_bo2",
            groups="base.group_user,klusheeren_base.group_klusheeren_user",
            email="bo2@klusheeren.example.com",
            notification_type="email",
            lang="en_US",
        )
        cls.team.user_ids = [(6, 0, (cls.backoffice | cls.colleague).ids)]
        cls.team_north = cls.env["helpdesk.ticket.team"].create(
            {"name": "Storingen Noord", "user_ids": [(6, 0, cls.colleague.ids)], "user_id": cls.colleague.id}
        )
        cls.region = cls.Area.create({"name": "Regio Amsterdam"})
        cls.amstelveen = cls.Area.create(
            {
                "name": "Amstelveen",
                "parent_id": cls.region.id,
                "postcode_range_ids": [(0, 0, {"postcode_from": "1180", "postcode_to": "1189"})],
            }
        )
        cls.category = cls.env["maintenance.equipment.category"].create({"name": "Koelkast"})
        cls.equipment.category_id = cls.category
        cls.contractor_3 = cls.env["res.partner"].create(
            {
                "name": "Derde Partij",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "werk@derde.example.com",
                "lang": "nl_NL",
            }
        )
        # a site outside every area: no rule matches its tickets
        cls.far_site = cls.env["res.partner"].create({"name": "Verre locatie", "is_company": True, "zip": "9999 ZZ"})
        cls.far_equipment = cls.env["maintenance.equipment"].create(
            {"name": "Koffiemachine ver weg", "site_id": cls.far_site.id, "contractor_id": cls.contractor.id}
        )

    def rule(self, name, **values):
        return self.Rule.create({"name": name, **values})


@tagged("post_install", "-at_install")
class TestRoutingMatrix(ResponsibilityCase):
    def test_specific_beats_general(self):
        region = self.rule("Regio", area_id=self.region.id, team_id=self.team.id, contractor_id=self.contractor_en.id)
        ticket = self.report()
        self.assertEqual(ticket.responsibility_id, region, "the postcode 1183 lies in Amstelveen, in the region")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(
            ticket.work_order_ids.contractor_id, self.contractor_en, "the rule beats the equipment's contractor"
        )
        self.assertEqual(ticket.work_order_ids.responsibility_id, region)

        town = self.rule("Amstelveen", area_id=self.amstelveen.id, sequence=99, team_id=self.team_north.id)
        self.assertEqual(
            self.report().responsibility_id, town, "a smaller area beats the one it lies in, whatever the order"
        )

        site = self.rule(
            "Locatie 1",
            site_id=self.site.id,
            sequence=99,
            team_id=self.team_north.id,
            user_id=self.colleague.id,
            contractor_id=self.contractor_3.id,
        )
        ticket = self.report()
        self.assertEqual(ticket.responsibility_id, site, "a site beats an area")
        self.assertEqual(ticket.user_id, self.colleague)
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor_3)

        fridges = self.rule(
            "Koelkasten in Amstelveen",
            area_id=self.amstelveen.id,
            equipment_category_id=self.category.id,
            sequence=99,
            contractor_id=self.contractor.id,
        )
        ticket = self.report()
        self.assertEqual(ticket.responsibility_id, fridges, "two criteria beat one")
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor)
        self.assertEqual(ticket.work_order_ids.responsibility_id, fridges)
        # the rule names a contractor only: team and responsible come from the next rule that has them
        self.assertEqual(ticket.team_id, self.team_north)
        self.assertEqual(ticket.user_id, self.colleague)
        # another category: the fridge rule does not match
        self.assertEqual(self.report(self.equipment_en).responsibility_id, site)

    def test_order_breaks_ties(self):
        first = self.rule("Eerst", area_id=self.amstelveen.id, sequence=5, team_id=self.team_north.id)
        second = self.rule("Daarna", area_id=self.amstelveen.id, sequence=10, team_id=self.team.id)
        ticket = self.report()
        self.assertEqual(ticket.responsibility_id, first)
        self.assertEqual(ticket.team_id, self.team_north)
        second.sequence = 1
        ticket.with_user(self.backoffice).action_klusheeren_route()
        self.assertEqual(ticket.responsibility_id, second, "route again follows the new order")
        self.assertEqual(ticket.team_id, self.team)
        # equal sequence too: the older rule
        second.sequence = 5
        self.assertEqual(self.report().responsibility_id, first)

    def test_customer_channel_and_ticket_category(self):
        customer = self.env["res.partner"].create({"name": "Klant B.V.", "is_company": True})
        self.site.parent_id = customer
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        by_customer = self.rule("Klant", partner_id=customer.id, team_id=self.team.id)
        by_phone = self.rule(
            "Klant per telefoon", partner_id=customer.id, channel_id=phone.id, team_id=self.team_north.id
        )
        self.assertEqual(self.report().responsibility_id, by_customer)
        self.assertEqual(self.report(channel="phone").responsibility_id, by_phone)
        category = self.env["helpdesk.ticket.category"].create({"name": "Schoonmaak"})
        by_category = self.rule(
            "Schoonmaak",
            ticket_category_id=category.id,
            partner_id=customer.id,
            channel_id=phone.id,
            team_id=self.team.id,
        )
        ticket = self.Ticket.with_user(self.backoffice).create(
            {
                "name": "Vloer vies",
                "description": "<p>x</p>",
                "site_id": self.site.id,
                "category_id": category.id,
                "channel_id": phone.id,
                "partner_name": "Piet",
                "partner_email": "piet@example.com",
            }
        )
        self.assertEqual(ticket.responsibility_id, by_category, "a phone ticket the back office types is routed too")
        # a reporter of the customer company, without a site: the company still matches
        colleague = self.env["res.partner"].create(
            {"name": "Kees", "parent_id": customer.id, "email": "kees@klant.example.com"}
        )
        ticket = self.Ticket.create({"name": "Vraag", "description": "<p>x</p>", "partner_id": colleague.id})
        self.assertEqual(ticket.responsibility_id, by_customer)

    def test_no_match_activity_for_the_team_leader_and_filter(self):
        self.rule("Amstelveen", area_id=self.amstelveen.id, team_id=self.team.id)
        ticket = self.report(self.far_equipment)
        self.assertFalse(ticket.responsibility_id)
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref(ROUTE))
        self.assertEqual(activity.user_id, self.backoffice, "the team's leader")
        self.assertFalse(self.mails_to(self.backoffice.partner_id), "nothing rendered in the report's request")
        unrouted = self.Ticket.search([("responsibility_id", "=", False), ("id", "in", ticket.ids + self.report().ids)])
        self.assertEqual(unrouted, ticket, "the filter 'Not routed' lists it, not the routed one")
        # the fallback contractor still gets the job
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor)
        # a rule for the far site, route again: routed, the activity done
        far = self.rule("Ver weg", site_id=self.far_site.id, team_id=self.team_north.id, user_id=self.colleague.id)
        ticket.with_user(self.backoffice).action_klusheeren_route()
        self.assertEqual(ticket.responsibility_id, far)
        self.assertEqual((ticket.team_id, ticket.user_id), (self.team_north, self.colleague))
        self.assertFalse(ticket.activity_ids)
        self.assertIn(self.colleague.partner_id, ticket.message_partner_ids)

    def test_mail_alias_is_routed(self):
        email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        by_mail = self.rule("Per e-mail", channel_id=email.id, team_id=self.team_north.id)
        raw = (
            "From: Anna <anna@example.com>\r\nTo: storingen@example.com\r\n"
            "Subject: Lift blijft hangen\r\nMessage-ID: <kh-route-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nDe lift blijft hangen op 3.\r\n"
        )
        ticket = self.Ticket.browse(
            self.env["mail.thread"].message_process("helpdesk.ticket", raw, custom_values={"team_id": self.team.id})
        )
        self.assertEqual(ticket.channel_id, email)
        self.assertEqual(ticket.responsibility_id, by_mail)
        self.assertEqual(ticket.team_id, self.team_north)
        self.assertFalse(ticket.user_id, "never OdooBot")

    def test_contractor_interface(self):
        ticket = self.report(self.far_equipment)
        self.assertEqual(ticket._klusheeren_contractor(), self.contractor, "no rule: the equipment's contractor")
        self.assertFalse(ticket._klusheeren_contractor(exclude=self.contractor))
        self.far_site.klusheeren_contractor_id = self.contractor_3
        ticket.write({"equipment_id": False, "site_id": self.far_site.id})
        self.assertEqual(ticket._klusheeren_contractor(), self.contractor_3, "no equipment: the site's default")
        first = self.rule("Ver weg", site_id=self.far_site.id, contractor_id=self.contractor_en.id)
        self.rule("Ver weg, daarna", site_id=self.far_site.id, contractor_id=self.contractor.id, sequence=20)
        self.assertEqual(ticket._klusheeren_contractor(), self.contractor_en)
        self.assertEqual(ticket._klusheeren_contractor(exclude=self.contractor_en), self.contractor, "the next rule")
        self.assertEqual(
            ticket._klusheeren_contractor(exclude=self.contractor_en | self.contractor),
            self.contractor_3,
            "then the fallback",
        )
        first.active = False
        self.assertEqual(ticket._klusheeren_contractor(), self.contractor, "archived rules route nothing")

    def test_archived_area_routes_nothing(self):
        self.rule("Amstelveen", area_id=self.amstelveen.id, team_id=self.team_north.id)
        self.amstelveen.active = False
        self.assertFalse(self.report().responsibility_id)

    def test_rule_checks(self):
        with self.assertRaises(ValidationError):
            self.rule("Beide", area_id=self.region.id, site_id=self.site.id, team_id=self.team.id)
        with self.assertRaises(ValidationError):
            self.rule("Geen uitkomst", area_id=self.region.id)
        with self.assertRaises(ValidationError):
            self.rule("Niet in het team", team_id=self.team_north.id, user_id=self.backoffice.id)
        with self.assertRaises(ValidationError):
            self.Area.create(
                {"name": "Fout", "postcode_range_ids": [(0, 0, {"postcode_from": "1189", "postcode_to": "1180"})]}
            )
        with self.assertRaises(UserError):
            self.region.parent_id = self.amstelveen

    def test_route_again_is_back_office_only(self):
        ticket = self.report()
        portal = new_test_user(self.env, login="kh_portal_route", groups="base.group_portal")
        with self.assertRaises(AccessError):
            ticket.with_user(portal).action_klusheeren_route()
        manager_only = new_test_user(self.env, login="kh_internal_route", groups="base.group_user")
        with self.assertRaises(AccessError):
            ticket.with_user(manager_only).action_klusheeren_route()


@tagged("post_install", "-at_install")
class TestRoutingCost(ResponsibilityCase):
    def _queries_of_a_report(self, **context):
        self.env.invalidate_all()
        self.env.flush_all()
        self.env.cr.flush()
        before = self.cr.sql_log_count
        ticket = self.Ticket.with_context(**context)._klusheeren_create_report(
            self.equipment, "De koelkast koelt niet meer.", "Douwe Demo", "douwe@example.com"
        )
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - before, ticket

    def _rules(self, count):
        """``count`` rules for other sites, areas and categories, and a few that match."""
        sites = self.env["res.partner"].create([{"name": f"Locatie {i}", "zip": f"{2000 + i} AA"} for i in range(20)])
        areas = self.Area.create([{"name": f"Gebied {i}", "site_ids": [(6, 0, sites[i % 20].ids)]} for i in range(20)])
        self.Rule.create(
            [
                {
                    "name": f"Regel {i}",
                    "sequence": i,
                    "site_id": sites[i % 20].id if i % 3 == 0 else False,
                    "area_id": areas[i % 20].id if i % 3 == 1 else False,
                    "equipment_category_id": self.category.id if i % 3 == 2 and i % 2 else False,
                    "partner_id": sites[i % 20].id if i % 3 == 2 and not i % 2 else False,
                    "contractor_id": self.contractor_en.id,
                    "team_id": self.team.id,
                }
                for i in range(count - 2)
            ]
            + [
                {
                    "name": "Regio",
                    "area_id": self.region.id,
                    "team_id": self.team.id,
                    "contractor_id": self.contractor_3.id,
                },
                {"name": "Amstelveen", "area_id": self.amstelveen.id, "team_id": self.team_north.id},
            ]
        )

    def test_routing_costs_the_same_with_10_and_1000_rules(self):
        self._rules(10)
        self.report()  # warm the caches
        few, ticket = self._queries_of_a_report()
        self.assertEqual(ticket.responsibility_id.name, "Amstelveen")
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor_3)
        self._rules(990)
        self.assertGreaterEqual(self.Rule.search_count([]), 1000)
        many, ticket = self._queries_of_a_report()
        self.assertEqual(ticket.responsibility_id.name, "Amstelveen")
        self.assertEqual(ticket.work_order_ids.contractor_id, self.contractor_3)
        self.assertEqual(many, few, f"{few} SQL queries with 10 rules, {many} with 1,000")
        unrouted = self._queries_of_a_report(klusheeren_no_routing=True)[0]
        _logger.info(
            "SQL queries of a report: %s with 10 rules, %s with 1,000, %s without routing", few, many, unrouted
        )
        self.env.invalidate_all()
        with self.assertQueryCount(few):
            self.Ticket._klusheeren_create_report(
                self.equipment, "De koelkast koelt niet meer.", "Douwe Demo", "douwe@example.com"
            )
