from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml


class ReportStickerSheet(models.AbstractModel):
    """Values of the sticker sheet, printed from equipment (this model), batches or stickers."""

    _name = "report.klusheeren_equipment.report_sticker_sheet_equipment"
    _description = "Sticker sheet of equipment"
    _doc_model = "maintenance.equipment"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._doc_model].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": self._doc_model,
            "docs": docs,
            "stickers": docs._get_sheet_stickers(),
            # wkhtmltopdf without Odoo's patched Qt (e.g. Debian's) renders CSS millimetres at
            # 3/4 of their size: scale them so that a label is 70 x 37 mm on paper either way.
            "mm": 1.0 if _wkhtml().is_patched_qt else 4 / 3,
        }


class ReportStickerSheetBatch(models.AbstractModel):
    _name = "report.klusheeren_equipment.report_sticker_sheet_batch"
    _inherit = "report.klusheeren_equipment.report_sticker_sheet_equipment"
    _description = "Sticker sheet of a batch"
    _doc_model = "klusheeren.sticker.batch"


class ReportStickerSheetSticker(models.AbstractModel):
    _name = "report.klusheeren_equipment.report_sticker_sheet_sticker"
    _inherit = "report.klusheeren_equipment.report_sticker_sheet_equipment"
    _description = "Sticker sheet of stickers"
    _doc_model = "klusheeren.sticker"
