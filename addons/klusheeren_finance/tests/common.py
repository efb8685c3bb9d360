from datetime import date, timedelta

from odoo.tests import new_test_user

from odoo.addons.klusheeren_helpdesk.tests.common import KlusheerenHelpdeskCase


class KlusheerenFinanceCase(KlusheerenHelpdeskCase):
    """Done work orders of two contractors at two customers, and the people who export them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env, login="kh_finance", groups="base.group_user,klusheeren_finance.group_klusheeren_finance"
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Klant Eén B.V.", "is_company": True})
        cls.site.parent_id = cls.customer
        cls.other_customer = Partner.create({"name": "Klant Twee B.V.", "is_company": True})
        cls.other_site = Partner.create(
            {"name": "Locatie Utrecht", "is_company": True, "parent_id": cls.other_customer.id}
        )
        cls.other_equipment = cls.env["maintenance.equipment"].create(
            {"name": "Vaatwasser", "site_id": cls.other_site.id, "contractor_id": cls.contractor_en.id}
        )
        Product = cls.env["product.product"]
        cls.call_out = Product.create(
            {
                "name": "Voorrijkosten",
                "default_code": "VRK",
                "type": "service",
                "klusheeren_work_order_ok": True,
                "standard_price": 45,
            }
        )
        cls.seal = Product.create(
            {
                "name": "Afdichting",
                "default_code": "AFD",
                "type": "consu",
                "klusheeren_work_order_ok": True,
                "standard_price": 12.5,
            }
        )
        # the demo's done work orders are exported already or elsewhere: out of the way
        cls.Export = cls.env["klusheeren.finance.export"]
        cls.WorkOrder.search([("state", "=", "done"), ("klusheeren_export_id", "=", False)]).sudo().write(
            {"klusheeren_export_id": cls.Export.create({"date_from": date(2000, 1, 1), "date_to": date(2000, 1, 1)}).id}
        )

    def done_order(self, equipment=None, lines=None, **vals):
        order = self.report(equipment).work_order_ids
        order.action_accept()
        values = dict(vals)
        if lines is not None:
            values["lines"] = lines
        order.sudo().contractor_save(values)
        order.sudo().action_done()
        return order

    def new_batch(self, user=None, **vals):
        values = {"date_from": date.today() - timedelta(days=1), "date_to": date.today(), **vals}
        return self.Export.with_user(user or self.backoffice).create(values)
