# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date

HISTORY_MAX = 10
# what those who said "me too" hear of, as the reporter does: the moments of the work order
SUBSCRIBER_STATES = ("accepted", "on_hold", "done", "cancelled")


class KlusheerenWorkOrder(models.Model):
    """Recalls under warranty, the machine's history, and the updates of those who said
    "me too" (issue 24)."""

    _inherit = "klusheeren.work.order"  # pylint: disable=consider-merging-classes-inherited

    klusheeren_recall_of_id = fields.Many2one(
        "klusheeren.work.order",
        string="Recall of",
        copy=False,
        index="btree_not_null",
        help="The earlier work order on this equipment whose fault came back: this one is a recall under "
        "its warranty (no charge unless the back office decides otherwise).",
    )
    klusheeren_history_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Earlier faults",
        compute="_compute_klusheeren_history_ids",
        groups="base.group_user",
    )
    klusheeren_history_count = fields.Integer(compute="_compute_klusheeren_history_ids", groups="base.group_user")

    @api.depends("ticket_id", "equipment_id")
    def _compute_klusheeren_history_ids(self):
        for order in self:
            earlier = order.ticket_id._klusheeren_earlier_faults() if order.ticket_id else order.ticket_id
            order.klusheeren_history_ids = earlier[:HISTORY_MAX]
            order.klusheeren_history_count = len(earlier)

    def action_klusheeren_view_history(self):
        self.ensure_one()
        return self.ticket_id.action_klusheeren_view_history()

    @api.model_create_multi
    def create(self, vals_list):
        """The order of a repeat for the contractor of the earlier one is its recall, under warranty."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        for vals in vals_list:
            if vals.get("ticket_id") and "klusheeren_recall_of_id" not in vals:
                earlier = Ticket.browse(vals["ticket_id"]).klusheeren_repeat_of_id
                if earlier and earlier.contractor_id.id == vals.get("contractor_id"):
                    vals["klusheeren_recall_of_id"] = earlier.id
                    vals.setdefault("warranty", True)
        return super().create(vals_list)

    def write(self, vals):
        """Those who said "me too" hear of the moments the reporter hears of."""
        before = {order.id: (order.state, order.appointment_date) for order in self} if self._ids else {}
        res = super().write(vals)
        if "state" in vals or "appointment_date" in vals:
            changed = self.filtered(
                lambda o: (
                    (o.state in SUBSCRIBER_STATES and o.state != before[o.id][0])
                    or (o.state == "accepted" and o.appointment_date and o.appointment_date != before[o.id][1])
                )
            )
            # sudo: the ticket's subscribers, told of their own report by their own link
            changed.sudo().ticket_id.klusheeren_subscriber_ids._klusheeren_notify()
        return res

    # ------------------------------------------------------------------
    # The contractor's page (handed over after its access check)
    # ------------------------------------------------------------------
    def _klusheeren_came_back(self):
        """Those of these orders whose fault came back (a later ticket is a repeat of them): one
        query, an index lookup per order, however many repeat tickets an order has."""
        if not self.ids:
            return self.browse()
        rows = self.env.execute_query(
            SQL(
                """SELECT o.id FROM unnest(%s::int[]) AS o(id)
                    WHERE EXISTS (SELECT 1 FROM helpdesk_ticket t
                                   WHERE t.klusheeren_repeat_of_id = o.id AND t.active)""",
                self.ids,
            )
        )
        return self.browse(row[0] for row in rows)

    def _klusheeren_contractor_history(self, limit=HISTORY_MAX):
        """The equipment's earlier completed orders as this order's contractor may see them:
        its own in full, the other contractors' with their date and description only (no
        prices, no names). Newest first; dicts."""
        self.ensure_one()
        order = self.sudo()
        if not order.equipment_id:
            return []
        earlier = order.search(
            [("equipment_id", "=", order.equipment_id.id), ("state", "=", "done"), ("id", "!=", order.id)],
            order="date_done desc, id desc",
            limit=limit,
        )
        came_back = set(earlier._klusheeren_came_back().ids)
        rows = []
        for other in earlier:
            row = {
                "date": format_date(self.env, other.date_done),
                "what": other.title,
                "own": other.contractor_id == order.contractor_id,
            }
            if row["own"]:
                row.update(
                    name=other.name,
                    remarks=other.contractor_remarks,
                    amount=format_amount(self.env, other.amount_total, other.currency_id),
                    warranty=other.warranty,
                    reference=other.contractor_reference,
                    came_back=other.id in came_back,
                    hours=round((other.date_done - other.date_sent).total_seconds() / 3600.0)
                    if other.date_sent
                    else None,
                )
            rows.append(row)
        return rows
