from contextlib import contextmanager

from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon


@contextmanager
def real_pdf_rendering(case):
    """Real PDFs (wkhtmltopdf) inside the test ``case``. wkhtmltopdf fetches the report's CSS
    over HTTP: from this test server (not the configured web.base.url), and a TransactionCase
    lets that request in with Odoo's allow_pdf_render(); without it, under Odoo's own runner,
    the request waits for the test, which waits for wkhtmltopdf. An HttpCase does both itself."""
    if isinstance(case, HttpCase):
        yield
        return
    case.env["ir.config_parameter"].sudo().set_param("report.url", HttpCase.base_url())
    with case.allow_pdf_render():
        yield


class KlusheerenEquipmentCase(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sticker = cls.env["klusheeren.sticker"]
        cls.Equipment = cls.env["maintenance.equipment"]
        cls.contractor_cat = cls.env["res.partner"].create(
            {"name": "Koel & Co", "is_company": True, "klusheeren_is_contractor": True}
        )
        cls.contractor_site = cls.env["res.partner"].create(
            {"name": "Site Service BV", "is_company": True, "klusheeren_is_contractor": True}
        )
        cls.site = cls.env["res.partner"].create(
            {
                "name": "Testlocatie",
                "is_company": True,
                "street": "Laan van Kronenburg 14",
                "zip": "1183 AS",
                "city": "Amstelveen",
                "klusheeren_contractor_id": cls.contractor_site.id,
            }
        )
        cls.category = cls.env["maintenance.equipment.category"].create(
            {"name": "Koelkast", "klusheeren_contractor_id": cls.contractor_cat.id}
        )
        cls.equipment = cls.Equipment.create(
            {
                "name": "Koelkast 2.21",
                "site_id": cls.site.id,
                "exact_location": "Op de koelkast in kantoor 2.21",
            }
        )
        cls.backoffice = new_test_user(
            cls.env,
            login="kh_bo",
            groups="base.group_user,klusheeren_equipment.group_klusheeren_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="kh_mgr",
            groups="base.group_user,klusheeren_equipment.group_klusheeren_manager",
        )
        cls.employee = new_test_user(cls.env, login="kh_emp", groups="base.group_user")
        cls.portal = new_test_user(cls.env, login="kh_portal", groups="base.group_portal")
        cls.public = cls.env.ref("base.public_user")
