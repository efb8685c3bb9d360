from . import test_settings, test_http_headers, test_hooks
from . import test_token_door
from . import test_job_mixin
