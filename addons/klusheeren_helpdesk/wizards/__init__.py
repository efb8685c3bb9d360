from . import klusheeren_work_order_reason
