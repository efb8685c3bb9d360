from . import klusheeren_work_order_reason
from . import klusheeren_work_order_reassign
