# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.1: the two work order templates, loaded again with their buttons (pre-migrate), get
their translations with the buttons too (a template's body is translated whole: the update
alone would keep the old translated bodies) and are noupdate data again."""

from odoo import SUPERUSER_ID, api
from odoo.tools.translate import TranslationImporter, get_po_paths

TEMPLATES = ("mail_template_work_order_contractor", "mail_template_work_order_reminder")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    importer = TranslationImporter(cr, verbose=False)
    xmlids = {f"klusheeren_helpdesk.{name}" for name in TEMPLATES}
    for lang, _name in env["res.lang"].get_installed():
        if lang == "en_US":
            continue
        for path in get_po_paths("klusheeren_helpdesk", lang):
            importer.load_file(path, lang, xmlids=xmlids)
    importer.save(overwrite=True, force_overwrite=True)
    cr.execute(
        "UPDATE ir_model_data SET noupdate = true WHERE module = 'klusheeren_helpdesk' AND name IN %s",
        [TEMPLATES],
    )
