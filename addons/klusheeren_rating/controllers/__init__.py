from . import main
from . import rating
