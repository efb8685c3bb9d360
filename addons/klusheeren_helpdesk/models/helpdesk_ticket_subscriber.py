# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

PUBLIC_TZ = "Europe/Amsterdam"
# the open reports the sticker's page lists, newest first (a machine has a few; a cap keeps
# the page and its queries the same whatever a database holds)
OPEN_REPORTS_MAX = 20
RESOLVED = "klusheeren_helpdesk.stage_resolved"


# a file of its own while issue 23 splits the addon's models (the lead may fold it in)
class HelpdeskTicket(models.Model):
    """ "Me too" at the sticker (issue 24): the open reports of a machine as a visitor may see
    them (no personal data), and the people who said they have the same problem."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # the sticker's page lists a machine's newest open reports: read in this order and stopped
    # after the first ones, however many reports the machine has had (16 ms -> 0.3 ms at 3,600)
    _klusheeren_equipment_newest = models.Index("(equipment_id, create_date DESC, id DESC) WHERE active")

    klusheeren_subscriber_ids = fields.One2many(
        "klusheeren.ticket.subscriber",
        "ticket_id",
        string="Reported the same",
        groups="base.group_user",
        help='People at the sticker who said "this is my problem too": they get the updates by their own link.',
    )
    klusheeren_subscriber_count = fields.Integer(
        string="Also reported by",
        compute="_compute_klusheeren_subscriber_count",
        help='"+N reported the same": people who follow this report from the sticker.',
    )

    def _compute_klusheeren_subscriber_count(self):
        # sudo: a count only, of the tickets the caller reads
        data = (
            self.env["klusheeren.ticket.subscriber"]
            .sudo()
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        counts = {ticket.id: count for ticket, count in data}
        for ticket in self:
            ticket.klusheeren_subscriber_count = counts.get(ticket.id, 0)

    @api.model
    def _klusheeren_open_report_domain(self, equipment):
        """Reports of ``equipment`` that are neither resolved nor closed."""
        resolved = self.env.ref(RESOLVED, raise_if_not_found=False)
        return [
            ("equipment_id", "=", equipment.id),
            ("stage_id.closed", "=", False),
            ("stage_id", "!=", resolved.id if resolved else False),
        ]

    @api.model
    def _klusheeren_open_reports(self, equipment, limit=OPEN_REPORTS_MAX):
        """What the sticker's page shows of the equipment's open reports, newest first: one SQL
        query whatever their number. Dicts with ``id``, ``date`` (reported on, text), ``status``
        (in the reporter's words), ``what`` (what it is about) and ``followers`` ("+N")."""
        resolved = self.env.ref(RESOLVED, raise_if_not_found=False)
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT t.id, t.create_date, t.name, wo.state, wo.appointment_date,
                       (SELECT COUNT(*) FROM klusheeren_ticket_subscriber s
                         WHERE s.ticket_id = t.id AND s.active) AS followers
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                  LEFT JOIN LATERAL (
                      SELECT w.state, w.appointment_date
                        FROM klusheeren_work_order w
                       WHERE w.ticket_id = t.id
                    ORDER BY w.state IN ('refused', 'cancelled'), w.id DESC
                       LIMIT 1
                  ) wo ON TRUE
                 WHERE t.equipment_id = %(equipment)s AND t.active AND NOT COALESCE(st.closed, FALSE)
                   AND t.stage_id <> %(resolved)s
              ORDER BY t.create_date DESC, t.id DESC
                 LIMIT %(limit)s
                """,
                equipment=equipment.id or 0,
                resolved=resolved.id if resolved else 0,
                limit=limit,
            )
        )
        prefix = f"{equipment.name}: " if equipment.name else None
        return [
            {
                "id": row["id"],
                "date": format_datetime(self.env, row["create_date"], tz=PUBLIC_TZ, dt_format="EEEE d MMMM, HH:mm"),
                "status": self._klusheeren_status_text(row["state"], row["appointment_date"]),
                "what": self._klusheeren_summary_of(row["name"], prefix),
                "followers": row["followers"],
            }
            for row in rows
        ]

    @api.model
    def _klusheeren_summary_of(self, name, prefix):
        name = (name or "").strip()
        if prefix and name.startswith(prefix):
            name = name[len(prefix) :]
        return name

    @api.model
    def _klusheeren_status_text(self, state, appointment_date=None, resolved=False):
        """The status as the reporter hears it (no names, no prices)."""
        if resolved or state == "done":
            return self.env._("Solved: the contractor completed the job")
        if state == "accepted" and appointment_date:
            when = format_datetime(self.env, appointment_date, tz=PUBLIC_TZ, dt_format="EEEE d MMMM, HH:mm")
            return self.env._("Contractor accepted — appointment %(when)s", when=when)
        if state == "accepted":
            return self.env._("Contractor accepted — the appointment follows")
        if state == "on_hold":
            return self.env._("Contractor is waiting for parts")
        if state == "sent":
            return self.env._("Passed on to the contractor")
        return self.env._("Received — the facility desk is on it")

    def _klusheeren_public_status(self):
        """This ticket's status in the reporter's words (for the follow page and the updates)."""
        self.ensure_one()
        ticket = self.sudo()
        orders = ticket.work_order_ids.sorted(lambda o: (o.state not in ("refused", "cancelled"), o.id), reverse=True)
        main = orders[:1]
        resolved = ticket.stage_id.closed or ticket.stage_id == self.env.ref(RESOLVED, raise_if_not_found=False)
        return self._klusheeren_status_text(main.state, main.appointment_date, resolved=resolved)

    def _klusheeren_public_summary(self):
        self.ensure_one()
        ticket = self.sudo()
        name = ticket.equipment_id.name
        return self._klusheeren_summary_of(ticket.name, f"{name}: " if name else None)

    def _klusheeren_notify_stage(self):
        """Who said "me too" hears of the same stages as the reporter."""
        res = super()._klusheeren_notify_stage()
        told = self.sudo().filtered(lambda t: not t.stage_id.klusheeren_internal)
        told.klusheeren_subscriber_ids._klusheeren_notify()
        return res
