from . import report_sticker_sheet
