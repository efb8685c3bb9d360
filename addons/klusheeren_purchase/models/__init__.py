from . import klusheeren_finance_export
from . import purchase_order
from . import purchase_order_line
