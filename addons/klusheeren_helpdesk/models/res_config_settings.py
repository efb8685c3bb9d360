from odoo import api, models

from odoo.addons.klusheeren_base.tools import settings
from odoo.addons.klusheeren_base.tools.upload import UPLOAD_MAX_MB_PARAM

REMINDER_DELAY_HOURS = settings.register("klusheeren_helpdesk.reminder_delay_hours", int, 24, 1, 24 * 30)
REMINDER_MAX = settings.register("klusheeren_helpdesk.reminder_max", int, 3, 1, 50)
AUTOCLOSE_DAYS = settings.register("klusheeren_helpdesk.autoclose_days", int, 7, 1, 365)
# work order PDFs rendered per run of the sending job (no field on the screen: a tuning knob)
PDF_BATCH = settings.register("klusheeren_helpdesk.pdf_batch", int, 10, 1, 1000)


class ResConfigSettings(models.TransientModel):
    """Settings > KlusHeeren: what the scheduled jobs and the public pages read from the system
    parameters (``config_parameter``: saved there, read there)."""

    _inherit = "res.config.settings"

    klusheeren_reminder_delay_hours = settings.field(
        REMINDER_DELAY_HOURS.key,
        string="Remind contractors every (hours)",
        help="A sent work order not accepted after this many hours gets a reminder, and again after as many hours.",
    )
    klusheeren_reminder_max = settings.field(
        REMINDER_MAX.key,
        string="Reminders before the back office is told",
        help="After this many reminders the responsible gets an activity instead of another reminder.",
    )
    klusheeren_autoclose_days = settings.field(
        AUTOCLOSE_DAYS.key,
        string="Close resolved tickets after (days)",
        help="A resolved ticket without an answer from the reporter is closed after this many days.",
    )
    klusheeren_upload_max_mb = settings.field(
        UPLOAD_MAX_MB_PARAM,
        string="Largest file (MB)",
        help="The largest photo or PDF the public pages accept (report form, contractor page, "
        "reporter page, complaints, pre-visit page, company portal).",
    )

    @api.constrains(
        "klusheeren_reminder_delay_hours",
        "klusheeren_reminder_max",
        "klusheeren_autoclose_days",
        "klusheeren_upload_max_mb",
    )
    def _check_klusheeren_positive(self):
        self._klusheeren_check_bounds(
            [
                "klusheeren_reminder_delay_hours",
                "klusheeren_reminder_max",
                "klusheeren_autoclose_days",
                "klusheeren_upload_max_mb",
            ]
        )
