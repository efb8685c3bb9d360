from . import test_smoke
from . import test_qr_report
from . import test_work_order_page
from . import test_company_portal
from . import test_tours
from . import test_rate_limit
from . import test_request_form
from . import test_work_order_lines_page
