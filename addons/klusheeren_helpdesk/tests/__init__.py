from . import test_report_flow
from . import test_work_order_states
from . import test_scheduled
from . import test_export
from . import test_sending_job
from . import test_demo
from . import test_responsibility
from . import test_notifications
