from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from odoo.addons.klusheeren_base.tools.cron_tools import trigger_once

from .helpdesk_ticket import SENDING_JOB
from .klusheeren_work_order import (
    MANAGER,
    OPEN_STATES,
    REASSIGN_ACTIVITY,
)


# one file per responsibility of the model (issue 23), not one class of everything
class KlusheerenWorkOrder(models.Model):
    """The state machine: sending, acceptance, refusal, hold, completion, cancellation and
    reopening (the backend buttons and the contractor page)."""

    _inherit = "klusheeren.work.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Transitions (used by the backend buttons and the contractor page)
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        for order in self:
            if order.state not in allowed:
                raise UserError(
                    self.env._(
                        "Work order %(name)s cannot be %(action)s: it is %(state)s.",
                        name=order.name,
                        action=action,
                        state=dict(self._fields["state"]._description_selection(self.env))[order.state],
                    )
                )

    @api.model
    def _send_values(self):
        """What sending changes on a work order (also the values of one created as sent)."""
        return {
            "state": "sent",
            "date_sent": fields.Datetime.now(),
            "mail_pending": True,
            "reminder_count": 0,
            "reminder_escalated": False,
        }

    def action_send(self):
        """Send to the contractor. The e-mail with the PDF is composed by the sending job."""
        self._klusheeren_check_back_office()
        self._check_state(("draft", "sent"), self.env._("sent"))
        for order in self:
            if not order.contractor_id.email:
                raise UserError(self.env._("Contractor %(name)s has no e-mail address.", name=order.contractor_id.name))
        # no sudo: the caller is the back office (checked above) or the superuser
        self.write(self._send_values())
        for order in self:
            order._portal_ensure_token()
        self._after_send()
        return True

    @api.model
    def _create_sent(self, vals_list, notify_stage=False):
        """Work orders created as sent in one insert: no draft that is written to at once, no
        creation message next to the line saying it was sent. For a new ticket the reporter's
        confirmation says it all (``notify_stage=False``). On the superuser model of its callers
        (routing a new ticket, the recurring planner), which chose the contractors."""
        for vals in vals_list:
            vals.update(self._send_values(), access_token=self._klusheeren_new_token())
        orders = self.with_context(mail_create_nolog=True).create(vals_list)
        orders._after_send(notify_stage=notify_stage)
        return orders

    def _after_send(self, notify_stage=True):
        for order in self:
            # a log line in the chatter; the e-mail itself follows from the sending job
            order._message_log(body=self.env._("Work order sent to %(name)s.", name=order.contractor_id.name))
        self.ticket_id._klusheeren_set_stage("waiting_external", notify=notify_stage)
        trigger_once(self.env, SENDING_JOB)

    def action_accept(self):
        """The contractor takes the job. Accepting twice changes and sends nothing."""
        self._klusheeren_check_contractor_access()
        todo = self.filtered(lambda o: o.state != "accepted")
        todo._check_state(("sent",), self.env._("accepted"))
        if not todo:
            return False
        todo.write({"state": "accepted", "date_accepted": fields.Datetime.now()})
        for order in todo:
            order._klusheeren_notify_accepted()
            order._notify_responsible(self.env._("%(contractor)s accepted work order %(name)s."))
        return True

    def action_refuse(self, reason):
        self._klusheeren_check_contractor_access()
        reason = self._klusheeren_clean_text(reason)
        if not reason:
            raise UserError(self.env._("Give a reason for refusing the work order."))
        self._check_state(("sent",), self.env._("refused"))
        self.write({"state": "refused", "date_refused": fields.Datetime.now(), "refuse_reason": reason})
        for order in self:
            order._notify_responsible(
                self.env._("%(contractor)s refused work order %(name)s: %(reason)s"), reason=reason
            )
        self._klusheeren_back_to_team(self.env._("Refused by %(contractor)s: %(reason)s"), reason=reason)
        return True

    def _klusheeren_back_to_team(self, message, **kwargs):
        """The ticket of a refused order is the team's again: back to the first line (unless
        another order is still open), an activity for the responsible naming the next
        contractor the rules give; one click ("Send to next contractor") sends it."""
        # sudo: after the checked refusal or cancellation (the contractor's page or the back office)
        for order in self.sudo():
            ticket = order.ticket_id
            order._klusheeren_ticket_to_first_line(notify=True)
            following = ticket._klusheeren_contractor(exclude=order._klusheeren_tried_contractors())
            summary = message % {"contractor": order.contractor_id.name, **kwargs}
            if following:
                note = self.env._(
                    'Send the work order to %(next)s with "Send to next contractor", or choose another contractor.',
                    next=following.name,
                )
            else:
                note = self.env._(
                    'No other contractor is known for this ticket: choose one with "Send to another contractor".'
                )
            responsible = order.user_id or ticket.user_id or ticket.team_id.user_id
            if responsible:
                # no second e-mail: the responsible has just been told of the refusal
                order.with_context(mail_activity_quick_update=True).activity_schedule(
                    REASSIGN_ACTIVITY,
                    summary=summary[:250],
                    note=plaintext2html(note),
                    user_id=responsible.id,
                )
            else:
                order._message_log(body=plaintext2html(f"{summary}\n{note}"))

    def _klusheeren_tried_contractors(self):
        """The contractors who refused this ticket's job or had it withdrawn, and this one."""
        self.ensure_one()
        # sudo: the ticket's other orders are read for routing only (a refusal on the contractor's page)
        order = self.sudo()
        gone = order.ticket_id.work_order_ids.filtered(lambda o: o.state in ("refused", "cancelled"))
        return gone.contractor_id | order.contractor_id

    def action_klusheeren_reassign(self, contractor=None):
        """One click: a new work order for another contractor, sent at once; ``contractor``
        None: the next one the rules give (``helpdesk.ticket._klusheeren_contractor``)."""
        self.ensure_one()
        self._klusheeren_check_back_office()
        self._check_state(("refused", "cancelled"), self.env._("passed on"))
        ticket = self.ticket_id
        rule = self.env["klusheeren.responsibility"]
        if contractor is None:
            contractor, rule = ticket._klusheeren_contractor_and_rule(exclude=self._klusheeren_tried_contractors())
            if not contractor:
                raise UserError(self.env._("No other contractor is known for this ticket: choose one."))
        elif not contractor.klusheeren_is_contractor:
            raise UserError(self.env._("%(name)s is not a maintenance contractor.", name=contractor.name))
        new = ticket._klusheeren_create_work_order(send=True, contractors={ticket.id: (contractor, rule)})
        self.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(REASSIGN_ACTIVITY)).action_feedback(
            feedback=self.env._("Passed on to %(contractor)s: %(name)s.", contractor=contractor.name, name=new.name)
        )
        self.message_post(
            body=self.env._("Passed on to %(contractor)s: %(name)s.", contractor=contractor.name, name=new.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_hold(self, reason):
        self._klusheeren_check_contractor_access()
        reason = self._klusheeren_clean_text(reason)
        if not reason:
            raise UserError(self.env._("Say which parts are on order."))
        self._check_state(("accepted",), self.env._("paused"))
        self.write({"state": "on_hold", "hold_reason": reason})
        for order in self:
            order._notify_responsible(
                self.env._("%(contractor)s paused work order %(name)s, parts on order: %(reason)s"),
                reason=reason,
            )
        return True

    def action_resume(self):
        self._klusheeren_check_contractor_access()
        self._check_state(("on_hold",), self.env._("resumed"))
        self.write({"state": "accepted"})
        for order in self:
            order._notify_responsible(self.env._("%(contractor)s resumed work order %(name)s."))
        return True

    def action_done(self):
        """Afmelden: the job is finished; the work order is locked from now on."""
        self._klusheeren_check_contractor_access()
        self._check_state(("accepted", "on_hold"), self.env._("completed"))
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        self.ticket_id._klusheeren_set_stage("resolved", notify=False)  # the order's own e-mail
        for order in self:
            order._klusheeren_notify_done()
            order._notify_responsible(self.env._("%(contractor)s completed work order %(name)s."))
        return True

    def action_cancel(self):
        """Withdraw the order: the contractor is told when it had received it, the reporter
        always; the ticket is the team's again unless another order is open."""
        self._klusheeren_check_back_office()
        self._check_state(OPEN_STATES, self.env._("cancelled"))
        had_it = self.filtered(lambda o: o.state in ("sent", "accepted", "on_hold") and not o.mail_pending)
        self.write({"state": "cancelled", "mail_pending": False})
        # the contractor's link shows nothing of the job any more
        self._klusheeren_rotate_token()
        template = self.env.ref("klusheeren_helpdesk.mail_template_work_order_cancelled")
        for order in self:
            if order in had_it and order.contractor_id.email:
                template.send_mail(order.id, email_layout_xmlid="mail.mail_notification_light")
            order._klusheeren_notify_cancelled()
            # the reporter has just been told: no stage e-mail on top
            order._klusheeren_ticket_to_first_line(notify=False)
        return True

    def _klusheeren_ticket_to_first_line(self, notify):
        """The ticket of a refused or cancelled order is the team's again, unless another of
        its orders is still open."""
        self.ensure_one()
        # sudo: after the checked refusal or cancellation; the ticket's other orders are read only
        ticket = self.sudo().ticket_id
        if not (ticket.work_order_ids - self).filtered(lambda o: o.state in OPEN_STATES):
            ticket._klusheeren_set_stage("first_line", notify=notify)

    def action_reopen(self, reason):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a KlusHeeren manager can reopen a completed work order."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason for reopening the work order."))
        self._check_state(("done",), self.env._("reopened"))
        self.write({"state": "accepted", "date_done": False})
        for order in self:
            order.message_post(
                body=self.env._("Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        return True
