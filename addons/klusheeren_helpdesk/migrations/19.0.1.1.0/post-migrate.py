# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: the contractor receives only the files shared with it. Before, every attachment
of a ticket was sent: share the reporters' photos and PDFs, the files that came with the report
(created within a minute of the ticket), and none that came later through the chatter."""

SHAREABLE = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "image/heif",
    "application/pdf",
)


def migrate(cr, version):
    cr.execute(
        """
        INSERT INTO klusheeren_ticket_shared_attachment_rel (ticket_id, attachment_id)
             SELECT t.id, a.id
               FROM helpdesk_ticket t
               JOIN ir_attachment a
                 ON a.res_model = 'helpdesk.ticket' AND a.res_id = t.id
              WHERE a.mimetype IN %s
                AND a.create_date <= t.create_date + interval '1 minute'
        ON CONFLICT DO NOTHING
        """,
        [SHAREABLE],
    )
