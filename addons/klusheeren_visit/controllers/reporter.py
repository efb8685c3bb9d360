# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.klusheeren_portal.controllers.ticket import KlusheerenTicketPortal


class VisitReporterTicketPage(KlusheerenTicketPortal):
    """The reporter's ticket page links to the pre-visit page of the coming appointment (the
    reporter is the visit's contact): confirm it or ask another time."""

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        ticket_sudo = ticket.sudo()  # ``ticket``: the checked superuser record
        visit = ticket_sudo.env["klusheeren.visit"]
        if self._klusheeren_is_reporter(ticket_sudo, access_token):
            visit = ticket_sudo._klusheeren_reporter_visit()
            if visit:
                visit._portal_ensure_token()
        values["klusheeren_visit"] = visit
        return values
