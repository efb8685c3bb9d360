import base64

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.klusheeren_equipment.tests.common import real_pdf_rendering

# a real 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class KlusheerenHelpdeskCase(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["klusheeren_helpdesk", "klusheeren_equipment"], ["nl_NL"], overwrite=True
        )
        cls.env.company.write({"name": "KlusHeeren b.v.", "email": "info@klusheeren.nl", "phone": "088 - 555 0 555"})
        cls.backoffice = new_test_user(
            cls.env,
            login="kh_bo",
            groups="base.group_user,klusheeren_base.group_klusheeren_user",
            email="bo@klusheeren.example.com",
            notification_type="email",
        )
        cls.manager = new_test_user(
            cls.env,
            login="kh_mgr",
            groups="base.group_user,klusheeren_base.group_klusheeren_manager",
            email="mgr@klusheeren.example.com",
        )
        cls.contractor = cls.env["res.partner"].create(
            {
                "name": "Koeltechniek Jansen",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "planning@jansen.example.com",
                "lang": "nl_NL",
            }
        )
        cls.contractor_en = cls.env["res.partner"].create(
            {
                "name": "Cool Fix Ltd",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "jobs@coolfix.example.com",
                "lang": "en_US",
            }
        )
        cls.site = cls.env["res.partner"].create(
            {
                "name": "Demo locatie 1",
                "is_company": True,
                "street": "Laan van Kronenburg 14",
                "zip": "1183 AS",
                "city": "Amstelveen",
            }
        )
        cls.equipment = cls.env["maintenance.equipment"].create(
            {
                "name": "Koelkast 2.21",
                "site_id": cls.site.id,
                "exact_location": "Op de koelkast in kantoor 2.21",
                "contractor_id": cls.contractor.id,
            }
        )
        cls.equipment_en = cls.env["maintenance.equipment"].create(
            {"name": "Boiler", "site_id": cls.site.id, "contractor_id": cls.contractor_en.id}
        )
        cls.equipment_none = cls.env["maintenance.equipment"].create({"name": "Printer", "site_id": cls.site.id})
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.WorkOrder = cls.env["klusheeren.work.order"]
        cls.Mail = cls.env["mail.mail"]
        cls.team = cls.env.ref("klusheeren_helpdesk.team_storingen")
        cls.team.user_id = cls.backoffice
        # the demo's work orders wait for the sending job too: keep them out of these tests
        cls.WorkOrder.search([("mail_pending", "=", True)]).mail_pending = False
        cls.Ticket.search([("klusheeren_ack_pending", "=", True)]).klusheeren_ack_pending = False
        cls.Ticket.search([("klusheeren_announce_pending", "=", True)]).klusheeren_announce_pending = False

    def report(self, equipment=None, email="douwe@example.com", **kw):
        return self.Ticket._klusheeren_create_report(
            equipment or self.equipment,
            kw.pop("description", "De koelkast koelt niet meer.\nDe melk is zuur."),
            kw.pop("name", "Douwe Demo"),
            email,
            kw.pop("phone", "088-5550555"),
            kw.pop("attachments", [("foto.png", PNG, "image/png")]),
            **kw,
        )

    def mails(self, **domain):
        return self.Mail.search([(k, "=", v) for k, v in domain.items()], order="id")

    def mails_to(self, partner):
        return self.Mail.search([("recipient_ids", "in", partner.ids)], order="id")

    def stage(self, name):
        return self.env.ref(f"klusheeren_helpdesk.stage_{name}")

    def pdf_render(self):
        return real_pdf_rendering(self)

    def send_pending(self):
        """The sending job, as the cron runs it, with real PDFs."""
        with self.pdf_render():
            return self.WorkOrder.with_context(force_report_rendering=True)._cron_send_pending()
