from . import klusheeren_job_mixin
from . import klusheeren_token_mixin
from . import helpdesk_ticket
from . import klusheeren_work_order
from . import klusheeren_work_order_line
from . import maintenance_equipment
from . import res_partner
