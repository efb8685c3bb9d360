from . import klusheeren_finance_export
from . import klusheeren_work_order
