# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    """19.0.1.0.0 loaded the contractors' work order rule as noupdate: let this version's
    narrower rule (no refused, cancelled or draft orders) replace it."""
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'klusheeren_portal' AND name = 'klusheeren_work_order_rule_portal_contractor'
        """
    )
