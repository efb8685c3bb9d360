from . import boundary, settings, upload
