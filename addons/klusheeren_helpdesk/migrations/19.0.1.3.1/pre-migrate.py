# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.1: the work order e-mail and its reminder carry "Accept" and "Refuse…" buttons
(issue 25). The templates are noupdate data: loaded again by this update (post-migrate makes
them noupdate again)."""

TEMPLATES = ("mail_template_work_order_contractor", "mail_template_work_order_reminder")


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false WHERE module = 'klusheeren_helpdesk' AND name IN %s",
        [TEMPLATES],
    )
