from . import test_purchase_orders
