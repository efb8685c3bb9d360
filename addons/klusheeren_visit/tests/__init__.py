from . import test_reminder
from . import test_reminder_workers
from . import test_visit_http
from . import test_tour
from . import test_dutch_pages
from . import test_attack_visit
from . import test_light_pages
from . import test_report_channel
