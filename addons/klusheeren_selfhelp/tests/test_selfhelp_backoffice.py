from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KlusheerenSelfhelpCase


@tagged("post_install", "-at_install")
class TestSelfhelpBackoffice(KlusheerenSelfhelpCase):
    """Articles managed by KlusHeeren's back office; deflections counted per category in the statistics."""

    def test_back_office_manages_articles(self):
        Page = self.env["document.page"].with_user(self.backoffice)
        article = Page.create(
            {
                "name": "Is the door closed?",
                "klusheeren_summary": "Close it.",
                "klusheeren_category_id": self.fridges.id,
            }
        )
        self.assertEqual(article.parent_id, self.env.ref("klusheeren_selfhelp.page_category_selfhelp"))
        self.assertEqual(article.type, "content")
        article.write({"klusheeren_summary": "Close the door firmly.", "content": "<p>Long text</p>"})
        self.assertEqual(article.history_ids[:1].content, "<p>Long text</p>", "OCA's history kept")
        with self.assertRaises(AccessError):
            article.unlink()
        article.with_user(self.manager).unlink()
        # an article for one machine takes its category
        self.equipment_en.category_id = self.dishwashers
        own = Page.create({"name": "Boiler only", "klusheeren_equipment_id": self.equipment_en.id})
        self.assertEqual(own.klusheeren_category_id, self.dishwashers)
        # an employee outside the KlusHeeren groups manages nothing
        employee = new_test_user(self.env, login="kh_employee_sh", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["document.page"].with_user(employee).create({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["klusheeren.selfhelp.deflection"].with_user(employee).search([])

    def test_deflections_are_read_only_statistics_per_category(self):
        for article in (self.articles[0], self.articles[1]):
            self.assertEqual(self.press(article_id=article.id).status_code, 303)
        self.assertEqual(self.press(equipment=self.equipment_en).status_code, 303)
        Deflection = self.env["klusheeren.selfhelp.deflection"].with_user(self.backoffice)
        groups = dict(Deflection._read_group([("equipment_id", "!=", False)], ["category_id"], ["__count"]))
        self.assertEqual(groups[self.fridges], 2)
        self.assertEqual(groups[self.env["maintenance.equipment.category"]], 1, "the boiler has no category")
        deflection = Deflection.search([("article_id", "=", self.articles[0].id)])
        self.assertEqual(len(deflection), 1)
        for method, args in (("write", [{"key": "x" * 32}]), ("unlink", [])):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(deflection, method)(*args)
        with self.assertRaises(AccessError):
            Deflection.create({"key": "y" * 32})
        self.assertEqual(self.articles[0].with_user(self.backoffice).klusheeren_deflection_count, 1)
        self.assertEqual(self.fridges.with_user(self.backoffice).klusheeren_deflection_count, 2)
        # no personal data: nothing about who pressed
        self.assertFalse({"create_uid", "write_uid", "partner_id", "user_id"} & set(Deflection._fields))
        # the statistics: graph and pivot per category, next to the ticket report
        action = self.env.ref("klusheeren_selfhelp.action_deflection_analysis")
        self.assertEqual(action.view_mode, "graph,pivot,list")
        menu = self.env.ref("klusheeren_selfhelp.menu_deflection_analysis")
        self.assertEqual(menu.parent_id, self.env.ref("klusheeren_helpdesk.menu_ticket_report").parent_id)
        visible = self.env["ir.ui.menu"].with_user(self.backoffice)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(self.env.ref("klusheeren_selfhelp.menu_selfhelp_article").id, visible)

    def test_demo_articles_in_dutch_and_english(self):
        self.env["ir.module.module"]._load_module_terms(["klusheeren_selfhelp"], ["nl_NL"], overwrite=True)
        article = self.env.ref("klusheeren_selfhelp.demo_article_coffee_water")
        self.assertEqual(
            article.with_context(lang="en_US").name, "The coffee machine gives no water: is the water tank empty?"
        )
        self.assertEqual(
            article.with_context(lang="nl_NL").name, "Koffiemachine geeft geen water: is het waterreservoir leeg?"
        )
        self.assertIn("waterreservoir", article.with_context(lang="nl_NL").klusheeren_summary)
        for xmlid in (
            "klusheeren_equipment.demo_category_coffee",
            "klusheeren_equipment.demo_category_fridge",
            "klusheeren_equipment.demo_category_boiler",
        ):
            category = self.env.ref(xmlid)
            articles = self.env["document.page"].search([("klusheeren_category_id", "=", category.id)])
            with self.subTest(category=category.name):
                self.assertTrue(articles)
                for article in articles:
                    self.assertNotEqual(
                        article.with_context(lang="nl_NL").name, article.with_context(lang="en_US").name
                    )
                    self.assertNotEqual(
                        article.with_context(lang="nl_NL").klusheeren_summary,
                        article.with_context(lang="en_US").klusheeren_summary,
                    )
        # the demo's coffee machine shows its first three, in the visitor's language
        coffee = self.env.ref("klusheeren_equipment.demo_equipment_coffee")
        shown = coffee.with_context(lang="nl_NL")._klusheeren_selfhelp_articles()
        self.assertEqual(len(shown), 3)
        self.assertEqual(shown[0].name, "Koffiemachine geeft geen water: is het waterreservoir leeg?")
        self.assertTrue(shown[0].klusheeren_has_photo)
