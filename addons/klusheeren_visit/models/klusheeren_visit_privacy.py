from odoo import api, models

from odoo.addons.klusheeren_base.models.klusheeren_token_mixin import rotate_token


class KlusheerenVisit(models.Model):
    """The visits' part of klusheeren_privacy's protocol (retention, export and erasure of a
    contact's data). The three methods are found by name, so this addon takes part without
    depending on klusheeren_privacy, and that one stays free of visits (its manifest's depends
    stay ``klusheeren_helpdesk``). Each is called on the superuser model, after the manager's
    check (``res.partner._klusheeren_privacy_system``) or by the retention job, and given the
    contact's tickets as superuser records."""

    _inherit = "klusheeren.visit"

    @api.model
    def _klusheeren_privacy_visits(self, tickets):
        return self.search([("ticket_id", "in", tickets.ids)])

    @api.model
    def _klusheeren_privacy_export(self, tickets):
        return {
            "visits": [
                {
                    "work_order": visit.work_order_id.name,
                    "appointment": visit.appointment_date,
                    "state": visit.state,
                    "confirmed": visit.date_confirmed,
                    "preferred_moments": visit.preferred_moments or None,
                    "remarks": [
                        {"subject": r.subject, "text": r.description or None, "created": r.create_date}
                        for r in visit.remark_ids
                    ],
                    "services": [{"name": s.name, "choice": s.choice} for s in visit.service_ids],
                }
                for visit in self._klusheeren_privacy_visits(tickets)
            ]
        }

    @api.model
    def _klusheeren_privacy_files(self, tickets):
        return self._klusheeren_privacy_visits(tickets).remark_ids.attachment_ids

    @api.model
    def _klusheeren_privacy_erase(self, tickets):
        visits = self._klusheeren_privacy_visits(tickets)
        # the pre-visit link stops working: a new token nobody holds
        rotate_token(visits)
        visits.write({"preferred_moments": False})
        visits.message_unsubscribe(partner_ids=tickets.partner_id.ids)
