from odoo import api, fields, models

from odoo.addons.klusheeren_base.tools.boundary import clean_header_fields

# what reaches the headers of e-mails (recipient and sender names and addresses): one line
HEADER_FIELDS = ("name", "email", "phone")


class ResPartner(models.Model):
    _inherit = "res.partner"

    klusheeren_work_order_ids = fields.One2many("klusheeren.work.order", "contractor_id")
    klusheeren_reporter_contact = fields.Boolean(
        string="Created by a fault report",
        readonly=True,
        copy=False,
        help="Made from what an anonymous reporter typed. Only such contacts, without a login, "
        "are reused for a later report with the same e-mail address; the back office may merge "
        "them into a known contact.",
    )
    klusheeren_send_reminders = fields.Boolean(
        string="Reminders",
        default=True,
        help="Remind this contractor of work orders not accepted in time (the default of its "
        "work orders; each order can say otherwise).",
    )
    klusheeren_work_order_count = fields.Integer(string="Work Orders", compute="_compute_klusheeren_work_order_count")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            clean_header_fields(vals, HEADER_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        clean_header_fields(vals, HEADER_FIELDS)
        return super().write(vals)

    def _klusheeren_customer(self):
        """The customer of a site: the commercial partner of the company the site belongs to
        (a site is a company of its own under its customer), else the site's own; as the
        statistics' ``customer_id``."""
        self.ensure_one()
        return (self.parent_id or self).commercial_partner_id

    def _compute_klusheeren_work_order_count(self):
        counts = dict(
            self.env["klusheeren.work.order"]._read_group(
                [("contractor_id", "in", self.ids)], ["contractor_id"], ["__count"]
            )
        )
        for partner in self:
            partner.klusheeren_work_order_count = counts.get(partner, 0)

    def action_view_klusheeren_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("contractor_id", "=", self.id)]
        action["context"] = {"default_contractor_id": self.id}
        return action
