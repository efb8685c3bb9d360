# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack suite (docs/SECURITY.md): what a stranger, a reporter, a contractor, a colleague
of the customer company and a portal login try with the demo and nothing more than a sticker,
a link or a login. Every case is a real HTTP or JSON-RPC request against the running test
server; each asserts the refusal *and* that the database did not change: no record created,
no field written, no e-mail queued.

This module holds what the attack classes share (the files they send, the fingerprint of the
database, the demo's reports, orders and logins); one ``test_attack_*`` file per attack class.
"""

import struct
import zlib

from odoo.addons.klusheeren_helpdesk.tests.attack import HELPDESK_FINGERPRINT_SQL, AttackMixin
from odoo.addons.klusheeren_portal.tests.common import KlusheerenPortalCase

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_header(width, height):
    """A valid PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb
    when decoded; the policy must refuse it from the header alone)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


# What "the database did not change" means: klusheeren_helpdesk's tables (the shared helper) and
# the ratings' and complaints' of this addon.
FINGERPRINT_SQL = {
    **HELPDESK_FINGERPRINT_SQL,
    "complaints": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, contractor_feedback),
                         ',' ORDER BY id)) FROM klusheeren_complaint""",
    "ratings": """SELECT count(*), md5(string_agg(concat_ws('|', id, state, speed, communication,
                         quality, solved, comment, access_token), ',' ORDER BY id)) FROM klusheeren_rating""",
}


class KlusheerenAttackCase(AttackMixin, KlusheerenPortalCase):
    """The demo with two reports (each with its work order), the contractor's login, and the
    helpers of the attack classes."""

    FINGERPRINT_SQL = FINGERPRINT_SQL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bo_partner = cls.backoffice.partner_id
        cls.bo_partner.phone = "020-1111111"
        cls.ticket = cls.new_report(email="melder@example.com")
        cls.order = cls.ticket.work_order_ids
        cls.ticket_token = cls.ticket._portal_ensure_token()
        cls.order_token = cls.order.access_token
        cls.other_ticket = cls.new_report(cls.other_equipment, email="ander@example.com")
        cls.other_order = cls.other_ticket.work_order_ids
        cls.contractor_user.write({"password": "kh_jansen_pw1"})

    # ------------------------------------------------------------------
    # logins
    # ------------------------------------------------------------------
    def as_contractor(self):
        self.authenticate("kh_jansen", "kh_jansen_pw1")

    def as_colleague(self):
        self.authenticate("kh_collega", "kh_collega_pw1")

    def as_customer(self):
        self.authenticate("kh_klant", "kh_klant_pw1")

    def as_back_office(self):
        self.authenticate("kh_bo", "kh_boxxx")

    # ------------------------------------------------------------------
    # records in the state an attack needs
    # ------------------------------------------------------------------
    def accepted(self):
        self.order.action_accept()
        return self.order

    def done_rating(self):
        """The reporter's rating of the order, once the order is done."""
        self.accepted().action_done()
        return self.order.klusheeren_rating_id

    def complain(self, ticket=None, token=None, files=None, **data):
        ticket = ticket or self.ticket
        payload = {
            "reason": "quality",
            "description": "Slecht werk",
            "csrf_token": self.csrf("/web/login"),
            "access_token": self.ticket_token if token is None else token,
            **data,
        }
        return self.url_open(f"/my/ticket/{ticket.id}/complaint", data=payload, files=files or {})

    def filed_complaint(self):
        """A complaint about the order, filed through the ticket page, and its contractor's token."""
        self.complain()
        complaint = self.ticket.complaint_ids
        return complaint, complaint.sudo()._portal_ensure_token()
