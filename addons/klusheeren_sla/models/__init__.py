# the clocks first: the statistics views read their table
from . import klusheeren_sla_clock
from . import klusheeren_sla_policy
from . import klusheeren_sla_mixin
from . import klusheeren_sla_rate_mixin
from . import helpdesk_ticket
from . import klusheeren_work_order
from . import klusheeren_ticket_report
from . import klusheeren_rating_report
from . import res_partner
