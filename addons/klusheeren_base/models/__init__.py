# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import ir_actions_report
from . import ir_attachment
from . import ir_http
from . import res_config_settings
from . import klusheeren_token_door
from . import klusheeren_token_mixin
from . import klusheeren_job_mixin
from . import res_company
