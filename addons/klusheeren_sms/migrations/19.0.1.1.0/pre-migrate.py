# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.klusheeren_base.tools.migration import rename_field


def migrate(cr, version):
    """SMS retries move to the one retry scheme of ``klusheeren.job.mixin``: the attempts and the
    next attempt keep their data under the mixin's names."""
    rename_field(cr, "klusheeren_sms", "sms.sms", "klusheeren_attempts", "klusheeren_job_failures")
    rename_field(cr, "klusheeren_sms", "sms.sms", "klusheeren_retry_at", "klusheeren_job_retry_at")
    cr.execute("DROP INDEX IF EXISTS sms_sms__klusheeren_retry_at_index")
