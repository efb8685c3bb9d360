from . import klusheeren_report_attempt
from . import klusheeren_report_submission
from . import res_config_settings
from . import klusheeren_action_limit
from . import website
from . import ir_http
from . import helpdesk_ticket
from . import klusheeren_report_intake
