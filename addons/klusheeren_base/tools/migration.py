# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the addons' migration scripts (plain functions on the cursor, no ORM)."""

from odoo.tools import SQL


def rename_field(cr, module, model, old, new):
    """Before the update of ``module`` (pre-migrate): the field ``old`` of ``model`` becomes
    ``new`` with its data: the column, its ``ir.model.fields`` record and XML id are renamed, so
    the update finds the field it declares instead of creating an empty one and dropping the old.
    Does nothing when ``old`` is gone already (a second run) or ``new`` exists."""
    table = model.replace(".", "_")
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name IN %s",
        (table, (old, new)),
    )
    if {name for (name,) in cr.fetchall()} != {old}:
        return
    cr.execute(
        SQL("ALTER TABLE %s RENAME COLUMN %s TO %s", SQL.identifier(table), SQL.identifier(old), SQL.identifier(new))
    )
    cr.execute("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", (new, model, old))
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = %s AND model = 'ir.model.fields' AND name = %s",
        (f"field_{table}__{new}", module, f"field_{table}__{old}"),
    )
