from . import res_config_settings
from . import helpdesk_ticket
from . import ir_attachment
from . import res_partner
from . import klusheeren_ticket_subscriber
