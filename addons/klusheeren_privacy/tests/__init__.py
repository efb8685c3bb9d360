from . import test_privacy
from . import test_privacy_http
