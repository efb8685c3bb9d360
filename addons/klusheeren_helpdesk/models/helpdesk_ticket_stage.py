from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    klusheeren_internal = fields.Boolean(
        string="Internal stage",
        help="The reporter is not told of a move to this stage. Every other stage e-mails the "
        "reporter its description with the link to the ticket (its own e-mail template, else "
        "KlusHeeren's stage e-mail).",
    )
