from . import test_sticker
from . import test_sticker_sheet
from . import test_access
from . import test_qr_http
