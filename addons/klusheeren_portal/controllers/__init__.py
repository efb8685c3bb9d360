from . import main
from . import limits
