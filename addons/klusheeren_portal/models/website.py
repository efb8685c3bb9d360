# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models


class Website(models.Model):
    _inherit = "website"

    @api.model
    def _klusheeren_demo_languages(self, website_ids):
        """Demo data: the websites speak Dutch and English; Dutch is their default language where the
        database's administrator speaks Dutch (a Dutch operator's database, scripts/lib.sh)."""
        Lang = self.env["res.lang"]
        dutch = Lang._activate_lang("nl_NL")
        english = Lang._activate_lang("en_US")
        websites = self.browse(website_ids)
        websites.language_ids = [Command.link(dutch.id), Command.link(english.id)]
        if self.env.ref("base.user_admin").lang == "nl_NL":
            websites.default_lang_id = dutch
