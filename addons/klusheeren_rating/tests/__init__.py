from . import test_rating
from . import test_rating_http
from . import test_complaint
from . import test_statistics
from . import test_access
from . import test_attack_suite
from . import test_dutch_pages
from . import test_light_pages
