from . import main
from . import light
