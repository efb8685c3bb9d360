from . import test_report_flow
from . import test_work_order_states
from . import test_scheduled
