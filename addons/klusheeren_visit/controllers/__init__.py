from . import main
from . import reporter
