"""Every source string of every KlusHeeren addon has a Dutch translation in its i18n/nl.po."""

import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")


@tagged("post_install", "-at_install")
class TestDutchTranslations(TransactionCase):
    def test_nl_po_complete(self):
        modules = sorted(
            m for m in os.listdir(ADDONS_DIR)
            if os.path.isfile(os.path.join(ADDONS_DIR, m, "__manifest__.py"))
        )
        installed = self.env["ir.module.module"].search(
            [("name", "in", modules), ("state", "=", "installed")]
        ).mapped("name")
        self.assertEqual(sorted(installed), modules, "every addon of the repository is installed here")
        for module in modules:
            with self.subTest(module=module):
                po = polib.pofile(os.path.join(ADDONS_DIR, module, "i18n", "nl.po"))
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
                reader = TranslationModuleReader(self.env.cr, modules=[module], lang="nl_NL")
                missing = sorted({source for _mod, _type, _name, _res, source, *_rest in reader if source} - translated)
                self.assertFalse(missing, f"{module}: {len(missing)} untranslated, e.g. {missing[:5]}")
