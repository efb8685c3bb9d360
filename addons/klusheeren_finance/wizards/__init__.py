from . import klusheeren_finance_export_reopen
