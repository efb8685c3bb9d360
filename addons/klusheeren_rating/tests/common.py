import base64

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

# a real 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class KlusheerenRatingCase(BaseCommon):
    """Two contractors (Dutch and English), a site, a reporter per language, a back-office
    user who is responsible for the work orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["klusheeren_helpdesk", "klusheeren_rating"], ["nl_NL"], overwrite=True
        )
        cls.env.company.write({"name": "KlusHeeren b.v.", "email": "info@klusheeren.nl"})
        cls.backoffice = new_test_user(
            cls.env,
            login="kh_rating_bo",
            groups="base.group_user,klusheeren_base.group_klusheeren_user",
            email="bo@klusheeren.example.com",
            notification_type="email",
        )
        cls.portal_user = new_test_user(cls.env, login="kh_rating_portal", groups="base.group_portal")
        Partner = cls.env["res.partner"]
        cls.contractor = Partner.create(
            {
                "name": "Koeltechniek Jansen",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "planning@jansen.example.com",
                "lang": "nl_NL",
            }
        )
        cls.contractor_en = Partner.create(
            {
                "name": "Cool Fix Ltd",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "jobs@coolfix.example.com",
                "lang": "en_US",
            }
        )
        cls.site = Partner.create({"name": "Locatie Amstelveen", "is_company": True})
        cls.site_2 = Partner.create({"name": "Locatie Utrecht", "is_company": True})
        cls.reporter = Partner.create({"name": "Douwe Demo", "email": "douwe@example.com", "lang": "nl_NL"})
        cls.reporter_en = Partner.create({"name": "Sam Smith", "email": "sam@example.com", "lang": "en_US"})
        cls.Mail = cls.env["mail.mail"]

    @classmethod
    def _order(cls, contractor=None, site=None, reporter=None, name="Koelkast 2.21", done=True):
        """A ticket with a work order sent to ``contractor``, accepted and (``done``) completed."""
        contractor = contractor or cls.contractor
        equipment = cls.env["maintenance.equipment"].create(
            {
                "name": name,
                "site_id": (site or cls.site).id,
                "exact_location": "Kantoor 2.21",
                "contractor_id": contractor.id,
            }
        )
        ticket = (
            cls.env["helpdesk.ticket"]
            .with_context(klusheeren_no_mail=True, klusheeren_no_auto_work_order=True)
            .create(
                {
                    "name": f"{name}: koelt niet",
                    "description": "<p>De koelkast koelt niet meer.</p>",
                    "equipment_id": equipment.id,
                    "partner_id": (reporter or cls.reporter).id,
                    "team_id": cls.env.ref("klusheeren_helpdesk.team_storingen").id,
                    "user_id": cls.backoffice.id,
                }
            )
        )
        order = cls.env["klusheeren.work.order"].create(
            {
                "ticket_id": ticket.id,
                "equipment_id": equipment.id,
                "contractor_id": contractor.id,
                "title": ticket.name,
                "user_id": cls.backoffice.id,
            }
        )
        order.action_send()
        order.action_accept()
        if done:
            order.action_done()
        return order

    def _mails(self, record, partner=None):
        domain = [("model", "=", record._name), ("res_id", "=", record.id)]
        if partner:
            domain.append(("recipient_ids", "in", partner.ids))
        return self.Mail.search(domain)
