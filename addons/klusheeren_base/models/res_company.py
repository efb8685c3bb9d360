# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _klusheeren_demo_company(self):
        """The demo's company is Dutch (demo data only): KlusHeeren b.v. in the Netherlands, in
        euros, on A4. The currency is left as it is once accounting has booked in another one
        (Odoo refuses to change it then): an English-only database gets account's demo entries
        first, and klusheeren_base may be installed into an existing database by an upgrade."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        euro.active = True
        vals = {
            "name": "KlusHeeren b.v.",
            "country_id": self.env.ref("base.nl").id,
            "state_id": False,
            "phone": "088 - 555 0 555",
            "email": "info@klusheeren.nl",
            "paperformat_id": self.env.ref("base.paperformat_euro").id,
        }
        booked = getattr(company.root_id, "_existing_accounting", None)  # account is no dependency
        if company.currency_id != euro and not (booked and booked()):
            vals["currency_id"] = euro.id
        company.write(vals)
