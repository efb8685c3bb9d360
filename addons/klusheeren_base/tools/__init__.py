from . import upload
