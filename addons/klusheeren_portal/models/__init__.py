from . import klusheeren_report_attempt
from . import res_config_settings
from . import website
