from . import klusheeren_rating
from . import klusheeren_complaint
from . import klusheeren_work_order
from . import helpdesk_ticket
from . import klusheeren_rating_report
from . import res_partner
from . import klusheeren_ticket_report
from . import klusheeren_privacy
