from odoo import api, fields, models


class KlusheerenWorkOrder(models.Model):
    _inherit = "klusheeren.work.order"

    klusheeren_visit_ids = fields.One2many("klusheeren.visit", "work_order_id", string="Visit")
    klusheeren_remark_ids = fields.One2many("klusheeren.visit.remark", "work_order_id", string="Remarks of the contact")
    klusheeren_service_ids = fields.One2many(
        "klusheeren.visit.service", "work_order_id", string="Services chosen by the contact"
    )
    klusheeren_checkin_state = fields.Selection(
        [
            ("none", "No visit planned"),
            ("planned", "Waiting for an answer"),
            ("confirmed", "Confirmed"),
            ("reschedule", "Another time asked"),
        ],
        string="Check-in",
        compute="_compute_klusheeren_checkin",
        store=True,
    )
    klusheeren_checkin_todo = fields.Boolean(
        string="Check-in to handle",
        compute="_compute_klusheeren_checkin",
        store=True,
        index=True,
        help="Pinned on top of the list until the contact's remarks and requests are handled.",
    )

    @api.depends("klusheeren_visit_ids.state", "klusheeren_visit_ids.checkin_todo")
    def _compute_klusheeren_checkin(self):
        for order in self:
            visit = order.klusheeren_visit_ids[:1]
            order.klusheeren_checkin_state = visit.state or "none"
            order.klusheeren_checkin_todo = visit.checkin_todo

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        planned = orders.filtered("appointment_date")
        if planned:
            self.env["klusheeren.visit"]._klusheeren_sync(planned)
        return orders

    def write(self, vals):
        result = super().write(vals)
        if "appointment_date" in vals:
            self.env["klusheeren.visit"]._klusheeren_sync(self)
        return result

    def _klusheeren_notify_appointment(self):
        """The appointment e-mail becomes the visit's: by the contact's preferred channel, with
        the link to the pre-visit page."""
        # sudo: the order's own visit, after the checked planning (contractor's page, back office)
        visit = self.klusheeren_visit_ids[:1].sudo()
        if visit:
            return visit._klusheeren_notify_contact(
                "klusheeren_visit.mail_template_visit_planned", visit._klusheeren_sms_text("planned")
            )
        return super()._klusheeren_notify_appointment()

    def _contractor_attachments(self):
        """Also the photos of the contact's remarks marked visible to the contractor."""
        files = super()._contractor_attachments()
        # sudo: only the remarks the contact marked visible, for the order's own contractor
        remarks = self.sudo().klusheeren_visit_ids.remark_ids.filtered("visible_to_contractor")
        return files | remarks.attachment_ids

    def _klusheeren_checkin_for_contractor(self):
        """What the contact said for the contractor: the visit, remarks marked visible and the
        accepted services (for the work order page and PDF)."""
        # sudo: only what is marked for the contractor (below), of the order's own visit
        visit = self.sudo().klusheeren_visit_ids[:1]
        return {
            "visit": visit,
            "remarks": visit.remark_ids.filtered("visible_to_contractor"),
            "services": visit.service_ids.filtered(lambda s: s.choice == "accepted"),
        }

    def action_view_klusheeren_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "klusheeren.visit",
            "res_id": self.klusheeren_visit_ids[:1].id,
            "view_mode": "form",
        }
