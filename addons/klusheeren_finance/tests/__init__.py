from . import test_export
from . import test_attack_finance
