from odoo import api, models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _klusheeren_load_terms_now(self, module_names):
        """Load these modules' translations for every active language at once.

        Odoo loads a module's .po files only after its data and demo data. Demo data that sends
        e-mails (the KlusHeeren demo walks work orders through their states) calls this first,
        so that those e-mails come out in the recipients' language, as they would in real use.
        """
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self._load_module_terms(module_names, langs, overwrite=True)
        return True
