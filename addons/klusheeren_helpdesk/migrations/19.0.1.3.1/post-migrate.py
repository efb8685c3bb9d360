# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.1.

Issue 25: the two work order templates, loaded again with their buttons (pre-migrate), get their
translations with the buttons too (a template's body is translated whole: the update alone would
keep the old translated bodies) and are noupdate data again.

Issue 24: the tickets reported before the upgrade within the recall period (30 days) after a
completed work order on the same equipment are flagged as repeats of that order, so that first-time
fix and the machines' history tell the truth about the past too. No activity and no recall are made
for them: they were handled already."""

from odoo import SUPERUSER_ID, api
from odoo.tools.translate import TranslationImporter, get_po_paths

TEMPLATES = ("mail_template_work_order_contractor", "mail_template_work_order_reminder")


def _templates_translated(cr):
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


def _repeats_flagged(cr):
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'klusheeren_helpdesk.recall_days'")
    row = cr.fetchone()
    try:
        days = max(int(row[0]), 1) if row else 30
    except (TypeError, ValueError):
        days = 30
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET klusheeren_repeat_of_id = sub.order_id, klusheeren_repeat = TRUE
          FROM (
              SELECT t2.id AS ticket_id,
                     (SELECT w.id FROM klusheeren_work_order w
                       WHERE w.equipment_id = t2.equipment_id AND w.state = 'done' AND w.ticket_id <> t2.id
                         AND w.date_done < t2.create_date
                         AND w.date_done >= t2.create_date - make_interval(days => %(days)s)
                    ORDER BY w.date_done DESC, w.id DESC
                       LIMIT 1) AS order_id
                FROM helpdesk_ticket t2
               WHERE t2.equipment_id IS NOT NULL AND t2.klusheeren_repeat_of_id IS NULL
                 AND t2.channel_id IS DISTINCT FROM (
                     SELECT res_id FROM ir_model_data
                      WHERE module = 'klusheeren_recurring' AND name = 'helpdesk_ticket_channel_planned')
          ) sub
         WHERE sub.ticket_id = t.id AND sub.order_id IS NOT NULL
        """,
        {"days": days},
    )


def migrate(cr, version):
    _templates_translated(cr)
    _repeats_flagged(cr)
