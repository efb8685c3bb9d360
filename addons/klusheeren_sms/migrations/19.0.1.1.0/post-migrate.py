# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    """The attempts counted every gateway answer; the mixin counts failed attempts: an SMS that
    is not in error has none, one in error without a next attempt was given up on."""
    cr.execute("UPDATE sms_sms SET klusheeren_job_failures = 0 WHERE state != 'error' AND klusheeren_job_failures != 0")
    cr.execute(
        """UPDATE sms_sms SET klusheeren_job_failed = TRUE, klusheeren_job_error = failure_type
            WHERE state = 'error' AND klusheeren_job_retry_at IS NULL"""
    )
