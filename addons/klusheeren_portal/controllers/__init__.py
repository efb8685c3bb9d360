from . import limits
from . import light
from . import qr_report
from . import work_order
from . import ticket
from . import attachment
from . import reporter
from . import mail_action
