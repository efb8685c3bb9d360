# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The token of a record's public page (found and checked through ``klusheeren.token.door``)."""

import secrets

from odoo import api, fields, models

from ..tools.boundary import check_system_fields

TOKEN_BYTES = 32  # 256 random bits


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def ensure_token(record):
    """``portal.mixin._portal_ensure_token`` with a 256-bit token. Records get theirs when they
    are created (``default_token``): this writes one only on records older than that, never
    from a job on a record that a request may be writing at the same moment."""
    # sudo: the token is internal-only; this returns it to the server code that builds links
    record = record.sudo()
    if not record.access_token:
        record.write({"access_token": new_token()})
    return record.access_token


def default_token(records):
    """The token of a new record, made with the record: the sending jobs only read it."""
    return new_token()


def rotate_token(records):
    """A new token for each record that had one: the old link stops working at once."""
    # sudo: the system rotates links (callers: reassignment, cancellation, erasure)
    for record in records.sudo().filtered("access_token"):
        record.access_token = new_token()


class KlusheerenTokenMixin(models.AbstractModel):
    """``portal.mixin`` with the project's token rules (docs/SECURITY.md):

    - tokens of 256 random bits (``portal.mixin`` makes a UUID4: 122 bits);
    - readable by internal users only: no portal login harvests them over JSON-RPC;
    - rotated when the holder changes (``_klusheeren_rotate_token``);
    - found and checked through the one door (``klusheeren.token.door``).

    Odoo's generic routes (``/mail/*``, the portal chatter) keep core's own check
    (``_get_thread_with_access``), which the models restrict further where they need to.
    """

    _name = "klusheeren.token.mixin"
    _description = "KlusHeeren Access Token"
    _inherit = ["portal.mixin", "klusheeren.token.door"]

    access_token = fields.Char(groups="base.group_user", default=default_token, copy=False)

    @api.model
    def _klusheeren_new_token(self):
        return new_token()

    def write(self, vals):
        # a link is made and rotated by the system only (ensure_token, rotate_token: superuser)
        check_system_fields(self, vals, ("access_token",))
        return super().write(vals)

    def _portal_ensure_token(self):
        return ensure_token(self)

    def _klusheeren_rotate_token(self):
        rotate_token(self)
