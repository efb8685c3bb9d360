from . import rating
from . import complaint
