from . import klusheeren_report_attempt
