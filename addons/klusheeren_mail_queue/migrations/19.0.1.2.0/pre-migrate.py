# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.klusheeren_base.tools.migration import rename_field


def migrate(cr, version):
    """Mail retries move to the one retry scheme of ``klusheeren.job.mixin``: the retry count
    keeps its data as the mixin's count of failed attempts."""
    rename_field(cr, "klusheeren_mail_queue", "mail.mail", "klusheeren_retry_count", "klusheeren_job_failures")
