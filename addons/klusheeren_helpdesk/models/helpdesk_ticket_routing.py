from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import plaintext2html

from .helpdesk_ticket import BACK_OFFICE

ROUTE_ACTIVITY = "klusheeren_helpdesk.mail_activity_type_route"


# one file per responsibility of the model (issue 23), not one class of everything
class HelpdeskTicket(models.Model):
    """Routing: the responsibility rules give a new ticket its team, responsible and contractor,
    and its contractor the work order."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Routing by responsibility rules (klusheeren.responsibility)
    # ------------------------------------------------------------------
    @api.model
    def _klusheeren_routing_key_of(self, equipment, site, partner, channel, category, company):
        """What the rules look at, from a ticket's values (records, possibly empty)."""
        site = site or equipment.site_id
        # the customer company: the one above the site (a site is often a company itself,
        # under its customer), else the reporter's
        if site:
            customer = site.commercial_partner_id | site.parent_id.commercial_partner_id
        else:
            customer = partner.commercial_partner_id
        return {
            "company": company,
            "partner": customer,
            "site": site,
            "equipment_category": equipment.category_id,
            "channel": channel,
            "ticket_category": category,
        }

    def _klusheeren_routing_key(self):
        self.ensure_one()
        # sudo: the key is read for reporters and portal users too; nothing of it is shown
        ticket = self.sudo()
        return self._klusheeren_routing_key_of(
            ticket.equipment_id,
            ticket.site_id,
            ticket.partner_id,
            ticket.channel_id,
            ticket.category_id,
            ticket.company_id,
        )

    @api.model
    def _klusheeren_route_vals(self, vals):
        """Route a new ticket before it is inserted: the rule, its team and its responsible are
        written into ``vals`` (no write after the insert, no tracking of a change). A constant
        number of SQL queries, whatever the number of rules."""
        # sudo: routing runs for reporters and portal users; they read nothing of it
        env = self.sudo().env
        equipment = env["maintenance.equipment"].browse(vals.get("equipment_id") or [])
        key = self._klusheeren_routing_key_of(
            equipment,
            env["res.partner"].browse(vals.get("site_id") or []),
            env["res.partner"].browse(vals.get("partner_id") or []),
            env["helpdesk.ticket.channel"].browse(vals.get("channel_id") or []),
            env["helpdesk.ticket.category"].browse(vals.get("category_id") or []),
            env["res.company"].browse(vals.get("company_id") or equipment.company_id.id or self.env.company.id),
        )
        routed = env["klusheeren.responsibility"]._klusheeren_match(key)._klusheeren_result()
        if vals.get("user_id"):
            routed.pop("user_id", None)  # a person chose the assignee
        vals.update(routed)
        return vals

    def _klusheeren_unrouted_activity(self):
        """No rule matched: the team leader routes the ticket by hand (filter "Not routed").
        Tickets that a rule routed are left alone."""
        route = self.env.ref(ROUTE_ACTIVITY)
        # sudo: routing runs for reporters and portal users too; the activity is the system's
        for ticket in self.sudo().filtered(
            lambda t: not t.responsibility_id and route not in t.activity_ids.activity_type_id
        ):
            leader = ticket.team_id.user_id or ticket.team_id.user_ids[:1]
            note = self.env._(
                "No responsibility rule matches this ticket: choose its team and responsible, "
                'or add a rule and press "Route again".'
            )
            if leader:
                # no e-mail rendered here: the sending job announces the ticket
                ticket.with_context(mail_activity_quick_update=True).activity_schedule(
                    ROUTE_ACTIVITY,
                    summary=self.env._("Route this ticket"),
                    note=plaintext2html(note),
                    user_id=leader.id,
                )
            else:
                ticket._message_log(body=plaintext2html(note))

    def action_klusheeren_route(self):
        """The "Route again" button: the rules decide team, responsible and rule anew."""
        if not self.env.user.has_group(BACK_OFFICE):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))
        Rule = self.env["klusheeren.responsibility"]
        for ticket in self:
            rules = Rule._klusheeren_match(ticket._klusheeren_routing_key())
            vals = rules._klusheeren_result()
            team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id"))
            if team and "user_id" not in vals and ticket.user_id not in team.user_ids:
                vals["user_id"] = False
            ticket.write(vals)
            if not rules:
                ticket._klusheeren_unrouted_activity()
                continue
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(ROUTE_ACTIVITY)).action_feedback(
                feedback=self.env._("Routed by rule %(rule)s.", rule=rules[0].name)
            )
            if vals.get("user_id"):
                ticket.message_subscribe(partner_ids=ticket.user_id.partner_id.ids)
        return True

    def _klusheeren_contractor(self, exclude=None):
        """The contractor of this ticket's work orders: the one the most specific matching rule
        with a contractor gives, else the fallback of today (the equipment's contractor, which
        comes from its category, else its site; without equipment, the site's default).

        :param exclude: contractors not to give (e.g. those who refused the job already)
        :return: a ``res.partner`` (sudo), possibly empty
        """
        return self._klusheeren_contractor_and_rule(exclude)[0]

    def _klusheeren_contractor_and_rule(self, exclude=None):
        """``_klusheeren_contractor`` and the rule that gave it (empty for the fallback)."""
        self.ensure_one()
        # sudo: routing runs for reporters and portal users too (a new ticket, a refusal on the
        # contractor's page); they read nothing of it (_klusheeren_match reads the rules itself)
        ticket = self.sudo()
        Rule = self.env["klusheeren.responsibility"]
        exclude_ids = list(exclude.ids) if exclude else []
        routed = ticket.responsibility_id
        if routed.contractor_id and routed.contractor_id.id not in exclude_ids:
            return routed.contractor_id, routed
        extra = [("contractor_id", "!=", False)]
        if exclude_ids:
            extra.append(("contractor_id", "not in", exclude_ids))
        rules = Rule._klusheeren_match(ticket._klusheeren_routing_key(), extra)
        if rules:
            return rules[0].contractor_id, rules[0]
        fallback = ticket.equipment_id.contractor_id or ticket.site_id.klusheeren_contractor_id
        if fallback.id in exclude_ids:
            fallback = fallback.browse()
        return fallback, Rule

    def _klusheeren_create_work_order(self, send=False, contractors=None):
        """A work order per ticket for its contractor (``_klusheeren_contractor``: the rules,
        else the equipment's); tickets without one get none. With ``send``, sent at once to
        the contractors with an e-mail address (the others stay drafts, with an activity for the
        back office: a report never fails on a contractor's missing address).

        :param contractors: ``{ticket id: (contractor, rule)}`` chosen by the caller instead
        """
        # sudo: work orders are created by routing, for reporters and portal users too; the
        # contractor was chosen by the rules (or by the back office's reassignment)
        WorkOrder = self.env["klusheeren.work.order"].sudo()
        vals_list, tickets, reachable, unreachable = [], [], [], []
        for ticket in self:
            if contractors is not None and ticket.id in contractors:
                contractor, rule = contractors[ticket.id]
            else:
                contractor, rule = ticket._klusheeren_contractor_and_rule()
            if not contractor:
                continue
            tickets.append(ticket)
            vals = {
                "ticket_id": ticket.id,
                "equipment_id": ticket.equipment_id.id,
                "contractor_id": contractor.id,
                "responsibility_id": rule.id,
                "title": ticket.name,
                "description": ticket.description,
            }
            vals_list.append(vals)
            # (the contractor as the rules gave it, superuser; or as the back office chose it)
            (reachable if contractor.email else unreachable).append(vals)
        if not send:
            return WorkOrder.create(vals_list)
        orders = WorkOrder._create_sent(reachable, notify_stage=contractors is not None) if reachable else WorkOrder
        drafts = WorkOrder.create(unreachable) if unreachable else WorkOrder
        for order in drafts:
            responsible = order._klusheeren_job_responsible()
            note = plaintext2html(
                self.env._(
                    "Add an e-mail address to %(contractor)s and send the work order, or pass it on by phone.",
                    contractor=order.contractor_id.name,
                )
            )
            if responsible:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Work order not sent: the contractor has no e-mail address"),
                    note=note,
                    user_id=responsible.id,
                )
            else:
                order._message_log(body=note)
        return orders | drafts

    def action_create_work_order(self):
        """Backend button: a work order from this ticket, title and description copied."""
        self.ensure_one()
        if not self.env.user.has_group("klusheeren_base.group_klusheeren_user"):
            raise AccessError(self.env._("Only the KlusHeeren back office can do this."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.work.order",
            "view_mode": "form",
            "context": {
                "default_ticket_id": self.id,
                "default_equipment_id": self.equipment_id.id,
                "default_contractor_id": self._klusheeren_contractor().id,
                "default_title": self.name,
                "default_description": self.description,
            },
        }

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
