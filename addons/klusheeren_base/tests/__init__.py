from . import test_token_door
from . import test_job_mixin
