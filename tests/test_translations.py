"""Every source string of every KlusHeeren addon has a Dutch translation in its i18n/nl.po."""

import os

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")


@tagged("post_install", "-at_install")
class TestDutchTranslations(TransactionCase):
    def test_nl_po_complete(self):
        modules = sorted(
            m for m in os.listdir(ADDONS_DIR) if os.path.isfile(os.path.join(ADDONS_DIR, m, "__manifest__.py"))
        )
        installed = (
            self.env["ir.module.module"].search([("name", "in", modules), ("state", "=", "installed")]).mapped("name")
        )
        self.assertEqual(sorted(installed), modules, "every addon of the repository is installed here")
        for module in modules:
            with self.subTest(module=module):
                # read as Odoo loads it (PoFileReader): merged with i18n/<module>.pot when the addon
                # has one, which makes every entry the .pot lacks obsolete, i.e. dropped: a stale .pot
                # silently hides translations from the database
                po = PoFileReader(os.path.join(ADDONS_DIR, module, "i18n", "nl.po"))
                translated = {row["src"] for row in po if row["value"]}
                reader = TranslationModuleReader(self.env.cr, modules=[module], lang="nl_NL")
                missing = sorted({source for _mod, _type, _name, _res, source, *_rest in reader if source} - translated)
                self.assertFalse(missing, f"{module}: {len(missing)} untranslated, e.g. {missing[:5]}")


@tagged("post_install", "-at_install")
class TestDemoMailLanguage(TransactionCase):
    def test_demo_emails_in_the_recipients_language(self):
        """The demo walks work orders, a rating and a complaint through their states while it is
        installed; their e-mails are in the recipient's language even though Odoo loads a module's
        translations only after its demo data (the demo calls ir.module.module._update_translations first)."""
        self.assertTrue(
            self.env.ref("klusheeren_helpdesk.demo_work_order_coffee_old", raise_if_not_found=False),
            "scripts/test.sh installs the demo data",
        )
        mails = self.env["mail.mail"].search(
            [
                (
                    "model",
                    "in",
                    ("helpdesk.ticket", "klusheeren.work.order", "klusheeren.complaint", "klusheeren.rating"),
                ),
                ("recipient_ids", "!=", False),
            ]
        )
        dutch = mails.filtered(lambda m: set(m.recipient_ids.mapped("lang")) == {"nl_NL"})
        self.assertGreaterEqual(len(dutch), 5, dutch.mapped("subject"))
        english_words = ("Your report", "We received", "New work order", "Complaint", "Appointment planned")
        for mail in dutch:
            with self.subTest(subject=mail.subject):
                self.assertFalse([w for w in english_words if w in (mail.subject or "")])
