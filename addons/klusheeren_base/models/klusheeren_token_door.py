# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one door through which every token page finds and checks its record."""

import re

from odoo import SUPERUSER_ID, api, models
from odoo.tools import SQL, consteq

# what a token can look like: ours (43 URL-safe characters) and Odoo's UUID4 (36) of older records
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
MAX_ID = 2**31 - 1  # a PostgreSQL integer


def checked_id(record_id):
    """``record_id`` as a database id (an int, or a string of digits), else None."""
    if isinstance(record_id, str) and record_id.isascii() and record_id.isdigit() and len(record_id) <= 10:
        record_id = int(record_id)
    if isinstance(record_id, bool) or not isinstance(record_id, int) or not 0 < record_id <= MAX_ID:
        return None
    return record_id


def token_shaped(token):
    """Whether ``token`` can be a token at all (a string of 20 to 128 URL-safe characters)."""
    return isinstance(token, str) and bool(TOKEN_SHAPE.match(token))


class KlusheerenTokenDoor(models.AbstractModel):
    """The one door of the token pages: every token page finds its record with
    ``_klusheeren_from_token`` (the token alone) or ``_klusheeren_from_login_or_token`` (pages a
    login opens too): the id and the token are validated, compared in constant time, and the
    token's powers end with the record's life (``_klusheeren_token_alive``).

    On every model with an ``access_token``: through ``klusheeren.token.mixin``, and directly on
    ``helpdesk.ticket`` (``portal.mixin`` comes first there, from helpdesk_mgmt: it cannot
    inherit the mixin, and uses the functions of ``klusheeren_token_mixin`` for its token)."""

    _name = "klusheeren.token.door"
    _description = "KlusHeeren Token Door"

    def _klusheeren_token_alive(self):
        """Whether this record's token still opens its page (one record, read as superuser).
        A token's powers end with the record's life: each model says when (override). By
        default, as long as the record exists; a holder who is withdrawn (a reassigned or
        cancelled work order) loses the link by rotation (``_klusheeren_rotate_token``). What
        the page lets the holder *do* in each state stays the page's own business (e.g. a
        closed visit is read-only)."""
        self.ensure_one()
        return True

    def _klusheeren_token_is(self, token):
        """Whether ``token`` is this record's token: its shape checked, compared in constant
        time (``consteq``). Never raises on junk input."""
        self.ensure_one()
        if not token_shaped(token):
            return False
        # sudo: reads the token only to compare it with the one the caller brought
        own = self.sudo().access_token
        return bool(own) and consteq(own, token)

    @api.model
    def _klusheeren_from_token(self, record_id, token):
        """The one door of the token pages: the record ``record_id`` of this model when
        ``token`` is its token and the token is alive, as superuser (``sudo()``: this method
        is the check); else an empty recordset. Junk input (a wrong type, an id out of range,
        a token of the wrong shape) never raises, and an unknown id answers as a wrong token."""
        record_id = checked_id(record_id)
        if record_id is None or not token_shaped(token):
            return self.browse()
        # sudo: the record is returned only after the token comparison and the life check below
        record = self.sudo().browse(record_id).exists()
        if not record or not record._klusheeren_token_is(token) or not record._klusheeren_token_alive():
            return self.browse()
        return record

    def _klusheeren_lock(self):
        """Take these records' row locks before a page changes them (``FOR NO KEY UPDATE``),
        waiting for a job that holds one: the jobs take theirs with ``SKIP LOCKED`` and pass over
        a row a page holds. When another transaction changed a row after this request's snapshot,
        PostgreSQL refuses the lock with a serialization failure: it is raised here unlogged, and
        Odoo replays the request (``odoo.service.model.retrying``). Without the lock, the same
        conflict fails later in the UPDATE of the flush, replayed too but logged as a 'bad query'
        ERROR. Core's ``lock_for_update`` skips a locked row and raises instead of waiting."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                ),
                log_exceptions=False,  # a concurrent commit is expected: the request is replayed
            )

    @api.model
    def _klusheeren_from_login_or_token(self, record_id, token):
        """The door of the pages a login opens too (tickets, work orders): as core's
        ``_document_check_access``, the record as superuser (``with_user(SUPERUSER_ID)``) when
        the current user may read it (access rights and record rules), else when ``token`` opens
        it (``_klusheeren_from_token``); else an empty recordset."""
        record_id = checked_id(record_id)
        if record_id is None or (token is not None and not isinstance(token, str)):
            return self.browse()
        record = self.browse(record_id)
        # sudo: exists() only; nothing is returned before the user's rights or the token say so
        if not record.sudo().exists():
            return self.browse()
        if not record.has_access("read"):
            record = self._klusheeren_from_token(record_id, token)
        # the superuser record core's _document_check_access hands over (rights or token checked)
        return record.with_user(SUPERUSER_ID)
