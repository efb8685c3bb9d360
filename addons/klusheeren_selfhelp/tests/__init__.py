from . import test_selfhelp_qr
from . import test_selfhelp_refusals
from . import test_selfhelp_light
from . import test_selfhelp_portal
from . import test_selfhelp_backoffice
from . import test_selfhelp_tours
from . import test_selfhelp_dutch
from . import test_selfhelp_concurrency
