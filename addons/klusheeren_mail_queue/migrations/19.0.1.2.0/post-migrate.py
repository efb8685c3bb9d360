# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.klusheeren_mail_queue.models.mail_mail import MAX_RETRIES


def migrate(cr, version):
    """The count was of retries (written when an e-mail was queued again); the mixin counts
    failed attempts (written when one fails): an e-mail waiting in ``exception`` for the retry
    job failed once more than it was retried, and after the last retry it was given up on."""
    cr.execute(
        """UPDATE mail_mail SET klusheeren_job_failures = klusheeren_job_failures + 1,
                                klusheeren_job_error = failure_reason
            WHERE state = 'exception' AND (failure_type IS NULL OR failure_type = 'mail_smtp')"""
    )
    cr.execute(
        """UPDATE mail_mail SET klusheeren_job_failed = TRUE
            WHERE state = 'exception' AND (failure_type IS NULL OR failure_type = 'mail_smtp')
              AND klusheeren_job_failures > %s""",
        (MAX_RETRIES,),
    )
