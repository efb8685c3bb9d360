from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.klusheeren_base.tools.boundary import clean_header_fields
from odoo.addons.klusheeren_base.tools.upload import attach_uploads, check_attachments

SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000


class KlusheerenVisitRemark(models.Model):
    """A remark of the contact before the visit, with photos (seed 004's "Klant Opmerkingen");
    shown to the contractor when marked so; one click makes it a work order line."""

    _name = "klusheeren.visit.remark"
    _description = "Remark before a visit"
    _order = "id"

    visit_id = fields.Many2one("klusheeren.visit", required=True, ondelete="cascade", index=True)
    work_order_id = fields.Many2one(related="visit_id.work_order_id", store=True)
    subject = fields.Char(required=True)
    description = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Photos and files")
    visible_to_contractor = fields.Boolean(
        default=True, help="Shown on the contractor's work order page and PDF, with its photos."
    )
    state = fields.Selection([("new", "To handle"), ("done", "Handled")], default="new", required=True)
    line_id = fields.Many2one(
        "klusheeren.work.order.line", string="Work order line", readonly=True, ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            clean_header_fields(vals, ("subject",))  # the subject reaches messages and e-mails
        return super().create(vals_list)

    def write(self, vals):
        clean_header_fields(vals, ("subject",))
        return super().write(vals)

    @api.model
    def _klusheeren_create_from_page(self, visit, subject, description, uploads, visible):
        """Called by ``klusheeren.visit.portal_add_remark`` once the token is checked, on the
        superuser model and with the superuser visit of the door (``_klusheeren_checked``)."""
        subject = (subject or "").strip()
        description = (description or "").strip()
        if not subject:
            raise UserError(self.env._("Give your remark a subject."))
        if len(subject) > SUBJECT_MAX:
            raise UserError(self.env._("Keep the subject under %(n)s characters.", n=SUBJECT_MAX))
        if len(description) > DESCRIPTION_MAX:
            raise UserError(self.env._("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX))
        uploads = check_attachments(self.env, uploads)  # the project's upload policy, whoever calls
        remark = self.create(
            {
                "visit_id": visit.id,
                "subject": subject,
                "description": description,
                "visible_to_contractor": bool(visible),
            }
        )
        if uploads:
            # the remark just made for the visit whose token was checked
            remark.attachment_ids = attach_uploads(remark, uploads, checked=True)
        visit.work_order_id.message_post(
            body=visit._klusheeren_responsible_env()._(
                "%(name)s left a remark before the visit: %(subject)s", name=visit.partner_id.name, subject=subject
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=visit.user_id.partner_id.ids,
        )
        return remark

    def action_to_work_order_line(self):
        """One click: the remark becomes a line of the work order (and is handled)."""
        for remark in self.filtered(lambda r: not r.line_id):
            text = remark.subject if not remark.description else f"{remark.subject}: {remark.description}"
            line = self.env["klusheeren.work.order.line"].create(
                {"work_order_id": remark.work_order_id.id, "name": text[:500], "quantity": 1.0, "price_unit": 0.0}
            )
            remark.write({"line_id": line.id, "state": "done"})
        return True

    def action_mark_handled(self):
        self.write({"state": "done"})
        return True
