from . import main
from . import limits
from . import light
from . import metoo
