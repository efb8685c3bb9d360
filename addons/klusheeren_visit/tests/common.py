from datetime import datetime

import pytz

from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase
from odoo.addons.klusheeren_sms.tests.fake_gateway import FakeGateway

AMS = pytz.timezone("Europe/Amsterdam")


def utc(*args):
    """A Dutch local time → the naive UTC datetime Odoo stores."""
    return AMS.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class VisitCaseMixin:
    """A fake SMS gateway on 127.0.0.1, Dutch translations, a reporter with a mobile number,
    optional services for the equipment's category, a sent work order."""

    @classmethod
    def setUpVisit(cls):
        cls.gateway = FakeGateway(key="kh-visit-key").start()
        cls.addClassCleanup(cls.gateway.stop)
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_sms.gateway_url", cls.gateway.url)
        ICP.set_param("klusheeren_sms.gateway_key", "kh-visit-key")
        ICP.set_param("klusheeren_visit.reminder_days", 3)
        ICP.set_param("klusheeren_visit.reminder_hour", 10)
        cls.env["ir.module.module"]._load_module_terms(
            ["klusheeren_portal", "klusheeren_sms", "klusheeren_visit"], ["nl_NL"], overwrite=True
        )
        # the demo's visit and SMS stay out of these tests
        cls.env["klusheeren.visit"].search([]).write({"reminder_state": "skipped"})
        cls.env["sms.sms"].search([("state", "=", "outgoing")]).write({"state": "canceled"})
        cls.category = cls.env["maintenance.equipment.category"].create({"name": "Koelkast (test)"})
        cls.equipment.category_id = cls.category
        Option = cls.env["klusheeren.visit.option"]
        cls.option = Option.create(
            {
                "category_id": cls.category.id,
                "name": "Koelkast reinigen",
                "description": "Binnenkant schoon",
                "price_incl": 48.40,
                "url": "https://example.com/reinigen",
            }
        )
        cls.option_other = Option.create(
            {
                "category_id": cls.env["maintenance.equipment.category"].create({"name": "Anders"}).id,
                "name": "Niet voor deze koelkast",
                "price_incl": 10,
            }
        )

    def new_order(self, email="douwe@example.com", channel="email", lang="nl_NL", phone="06 12345678"):
        ticket = self.report(email=email)
        partner = ticket.partner_id
        partner.write({"lang": lang, "phone": phone, "klusheeren_notify_channel": channel})
        order = ticket.work_order_ids
        order.action_accept()  # the contractor plans an appointment once it took the job
        order.write(
            {
                "line_ids": [
                    (0, 0, {"name": "Thermostaat vervangen", "quantity": 1, "price_unit": 100.0}),
                    (0, 0, {"name": "Voorrijkosten", "quantity": 2, "price_unit": 12.5}),
                ]
            }
        )
        return order

    def plan(self, order, when):
        order.contractor_save({"appointment_date": when})
        return order.klusheeren_visit_ids

    def visit_mails(self, visit):
        return self.env["mail.mail"].search([("model", "=", "klusheeren.visit"), ("res_id", "=", visit.id)], order="id")

    def visit_sms(self, visit):
        messages = self.env["mail.message"].search([("model", "=", "klusheeren.visit"), ("res_id", "=", visit.id)])
        return self.env["sms.sms"].search([("mail_message_id", "in", messages.ids)], order="id")


class VisitCase(VisitCaseMixin, KlusheerenHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()
