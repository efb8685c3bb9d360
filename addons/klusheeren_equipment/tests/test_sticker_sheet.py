import base64
import io
import re

from PIL import Image

from odoo.tests import tagged

from .common import KlusheerenEquipmentCase, real_pdf_rendering


def pdf_page_count(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@tagged("post_install", "-at_install")
class TestStickerSheet(KlusheerenEquipmentCase):
    def test_qr_image_decodes_to_the_sticker_url(self):
        import zxingcpp

        png = base64.b64decode(self.equipment.sticker_qr)
        image = Image.open(io.BytesIO(png))
        self.assertEqual(image.format, "PNG")
        results = zxingcpp.read_barcodes(image)
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0].text, self.equipment.sticker_url)
        self.assertIn("/qr/" + self.equipment.sticker_id.token, results[0].text)

    def test_sheet_of_equipment_renders_one_page_per_24_labels(self):
        equipment = self.Equipment.create([{"name": f"Apparaat {i}", "site_id": self.site.id} for i in range(25)])
        with real_pdf_rendering(self):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("klusheeren_equipment.action_report_sticker_sheet", equipment.ids)
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(pdf_page_count(pdf), 2)

    def test_sheet_html_holds_every_label(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "klusheeren_equipment.action_report_sticker_sheet", self.equipment.ids
        )
        html = html.decode()
        self.assertIn("Koelkast 2.21", html)
        self.assertIn("Testlocatie", html)
        self.assertIn("Op de koelkast in kantoor 2.21", html)
        self.assertIn("Scan om een storing te melden", html)
        self.assertIn("Scan to report a fault", html)
        self.assertIn("data:image/png;base64,", html)

    def test_sheet_of_a_batch_shows_codes_of_free_stickers(self):
        batch = self.env["klusheeren.sticker.batch"].create({"quantity": 24})
        with real_pdf_rendering(self):
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("klusheeren_equipment.action_report_batch_sticker_sheet", batch.ids)
            )
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(pdf_page_count(pdf), 1)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "klusheeren_equipment.action_report_batch_sticker_sheet", batch.ids
        )
        for sticker in batch.sticker_ids:
            self.assertIn(sticker.name, html.decode())

    def test_sheet_reaches_wkhtmltopdf_in_utf8(self):
        """Each page body handed to wkhtmltopdf declares its charset: a site "·" location line
        printed as "Â·" on real stickers before the sheet became an .article."""
        self.equipment.exact_location = "Bij de ingang · naast de lift"
        report = self.env.ref("klusheeren_equipment.action_report_sticker_sheet")
        html = report._render_qweb_html(report, self.equipment.ids)[0]
        bodies, _res_ids, _header, _footer, _args = report._prepare_html(html, report_model=report.model)
        self.assertTrue(bodies)
        for body in map(str, bodies):
            self.assertRegex(body, r'<meta charset="utf-8"\s*/?>')
            self.assertIn("Bij de ingang · naast de lift", body)
