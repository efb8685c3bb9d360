from . import res_partner
from . import klusheeren_visit
from . import klusheeren_visit_option
from . import klusheeren_visit_remark
from . import klusheeren_visit_service
from . import klusheeren_work_order
from . import helpdesk_ticket
from . import res_config_settings
