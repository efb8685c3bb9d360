# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools import settings
from odoo.addons.klusheeren_base.tools.settings import read as read_setting

RECALL_DAYS = "klusheeren_helpdesk.recall_days"
# on: a repeat failure is routed by the responsibility rules like any report; off (the default):
# it goes back to the contractor of the earlier work order
RECALL_BY_RULES = "klusheeren_helpdesk.recall_by_rules"
RECALL_DAYS_DEFAULT = 30
settings.register(RECALL_DAYS, int, RECALL_DAYS_DEFAULT, 1, 365)
settings.register(RECALL_BY_RULES, bool, False)
REPEAT_ACTIVITY = "klusheeren_helpdesk.mail_activity_type_repeat"
# planned maintenance is no repeat failure (klusheeren_recurring's channel, when installed)
PLANNED_CHANNEL = "klusheeren_recurring.helpdesk_ticket_channel_planned"
HISTORY_MAX = 10


class HelpdeskTicket(models.Model):
    """Repeat failure → recall (issue 24): a report on equipment whose last work order was
    completed less than N days ago is a repeat; by default its work order goes back to that
    contractor, under warranty. And the machine's history: its earlier faults."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    klusheeren_repeat_of_id = fields.Many2one(
        "klusheeren.work.order",
        string="Repeat of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The work order completed on this equipment shortly before this report (the recall period "
        "of the settings): the fault came back.",
    )
    klusheeren_repeat = fields.Boolean(
        string="Repeat failure",
        compute="_compute_klusheeren_repeat",
        store=True,
        groups="base.group_user",
    )
    # the machine's history (back office): its earlier faults, and how each one ended
    klusheeren_history_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Earlier faults",
        compute="_compute_klusheeren_history_ids",
        groups="base.group_user",
    )
    klusheeren_history_count = fields.Integer(compute="_compute_klusheeren_history_ids", groups="base.group_user")
    klusheeren_solved_by_id = fields.Many2one(
        "res.partner", string="Solved by", compute="_compute_klusheeren_outcome", groups="base.group_user"
    )
    klusheeren_fix_hours = fields.Float(
        string="Hours to solve",
        compute="_compute_klusheeren_outcome",
        digits=(16, 1),
        groups="base.group_user",
        help="From the report to the completion of its work order.",
    )
    klusheeren_came_back = fields.Boolean(
        string="Came back",
        compute="_compute_klusheeren_outcome",
        groups="base.group_user",
        help="A new report on the equipment followed the completed job within the recall period.",
    )

    @api.depends("klusheeren_repeat_of_id")
    def _compute_klusheeren_repeat(self):
        for ticket in self:
            ticket.klusheeren_repeat = bool(ticket.klusheeren_repeat_of_id)

    @api.depends("equipment_id")
    def _compute_klusheeren_history_ids(self):
        for ticket in self:
            earlier = ticket._klusheeren_earlier_faults()
            ticket.klusheeren_history_ids = earlier[:HISTORY_MAX]
            ticket.klusheeren_history_count = len(earlier)

    def _klusheeren_earlier_faults(self):
        """The equipment's other tickets reported before this one, newest first."""
        self.ensure_one()
        if not self.equipment_id:
            return self.browse()
        domain = [("equipment_id", "=", self.equipment_id.id)]
        if isinstance(self.id, int):
            domain += [("id", "!=", self.id), ("create_date", "<=", self.create_date or fields.Datetime.now())]
        return self.sudo().search(domain, order="create_date desc, id desc")

    def _compute_klusheeren_outcome(self):
        # sudo: the back office reads the outcome of the equipment's tickets; one query each
        done = (
            self.env["klusheeren.work.order"]
            .sudo()
            .search([("ticket_id", "in", self.ids), ("state", "=", "done")], order="date_done desc, id desc")
        )
        back = done._klusheeren_came_back()
        for ticket in self:
            order = done.filtered(lambda o, t=ticket: o.ticket_id.id == t.id)[:1]
            ticket.klusheeren_solved_by_id = order.contractor_id
            ticket.klusheeren_fix_hours = (
                (order.date_done - ticket.create_date).total_seconds() / 3600.0 if order and ticket.create_date else 0.0
            )
            ticket.klusheeren_came_back = bool(done.filtered(lambda o, t=ticket: o.ticket_id.id == t.id) & back)

    def action_klusheeren_view_history(self):
        """Every earlier fault of the equipment (the form shows the last ten)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_klusheeren_history")
        action["domain"] = [("id", "in", self._klusheeren_earlier_faults().ids)]
        action["display_name"] = self.env._("Earlier faults of %(name)s", name=self.equipment_id.display_name)
        return action

    # ------------------------------------------------------------------
    # Repeat failures
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_recall_days(self):
        return read_setting(self.env, RECALL_DAYS)

    @api.model
    def _klusheeren_recent_done_order(self, equipment_id):
        """The equipment's last completed work order, when completed within the recall period."""
        since = fields.Datetime.now() - timedelta(days=self._klusheeren_recall_days())
        # sudo: the reporter has no rights; nothing of the order is shown to them
        return (
            self.env["klusheeren.work.order"]
            .sudo()
            .search(
                [("equipment_id", "=", equipment_id), ("state", "=", "done"), ("date_done", ">=", since)],
                order="date_done desc, id desc",
                limit=1,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        planned = self.env.ref(PLANNED_CHANNEL, raise_if_not_found=False)
        for vals in vals_list:
            if (
                vals.get("equipment_id")
                and "klusheeren_repeat_of_id" not in vals
                and not (planned and vals.get("channel_id") == planned.id)
            ):
                earlier = self._klusheeren_recent_done_order(vals["equipment_id"])
                if earlier:
                    vals["klusheeren_repeat_of_id"] = earlier.id
        tickets = super().create(vals_list)
        if not self.env.context.get("klusheeren_no_mail"):
            tickets.sudo().filtered("klusheeren_repeat_of_id")._klusheeren_repeat_activity()
        return tickets

    def _klusheeren_repeat_activity(self):
        """The back office sees a repeat at once: an activity for the responsible."""
        for ticket in self:
            earlier = ticket.klusheeren_repeat_of_id
            summary = self.env._(
                "Repeat failure: %(order)s of %(contractor)s was completed on %(date)s",
                order=earlier.name,
                contractor=earlier.contractor_id.name,
                date=fields.Date.to_string(earlier.date_done.date()),
            )
            note = plaintext2html(
                self.env._(
                    "The fault came back within %(days)s days. The work order goes to the same contractor as a "
                    "recall under warranty, unless you decide otherwise.",
                    days=self._klusheeren_recall_days(),
                )
            )
            responsible = ticket._klusheeren_job_responsible()
            if responsible:
                ticket.with_context(mail_activity_quick_update=True).activity_schedule(
                    REPEAT_ACTIVITY, summary=summary[:250], note=note, user_id=responsible.id
                )
            else:
                ticket._message_log(body=plaintext2html(summary))

    def _klusheeren_contractor_and_rule(self, exclude=None):
        """A repeat goes back to the contractor of the earlier order (setting, on by default),
        unless that one is excluded (it refused the recall)."""
        self.ensure_one()
        earlier = self.sudo().klusheeren_repeat_of_id
        same = not read_setting(self.env, RECALL_BY_RULES)
        if earlier and same and earlier.contractor_id.active and earlier.contractor_id not in (exclude or []):
            return earlier.contractor_id, self.env["klusheeren.responsibility"].sudo()
        return super()._klusheeren_contractor_and_rule(exclude)
