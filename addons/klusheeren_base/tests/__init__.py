from . import test_settings, test_http_headers, test_hooks
