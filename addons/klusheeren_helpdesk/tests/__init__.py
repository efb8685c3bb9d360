from . import test_report_flow
from . import test_work_order_states
from . import test_scheduled
from . import test_work_order_lines
from . import test_ticket_report
