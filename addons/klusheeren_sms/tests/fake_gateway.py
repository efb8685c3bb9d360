# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``FakeGateway``, the local stand-in for MessageBird of the repository's test and demo tooling
(``tests/tools/fake_gateway.py``, not part of the addon), for the tests of the addons: loaded
from its file, whether pytest-odoo or Odoo's own test runner runs them."""

import importlib.util
import sys
from pathlib import Path

_NAME = "klusheeren_tests_tools_fake_gateway"
_PATH = Path(__file__).resolve().parents[3] / "tests" / "tools" / "fake_gateway.py"


def _load():
    if _NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(_NAME, _PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]


FakeGateway = _load().FakeGateway
