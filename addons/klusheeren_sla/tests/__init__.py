from . import test_working_time
from . import test_deadlines
from . import test_notify
from . import test_statistics
from . import test_work_order_page
