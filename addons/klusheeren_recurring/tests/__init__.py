from . import test_calendar
from . import test_generation
from . import test_changes
from . import test_concurrency
