# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two helpers for scheduled jobs, shared by the KlusHeeren addons (plain functions, no model)."""


def trigger_once(env, cron_xmlid):
    """Wake the cron ``cron_xmlid`` once per transaction, however many records ask for it:
    it then runs in the cron worker soon after the commit, never inside the current request."""
    key = f"klusheeren.trigger.{cron_xmlid}"
    if not env.cr.precommit.data.get(key):
        env.cr.precommit.data[key] = True
        # no sudo(): ir.cron._trigger writes its trigger as superuser itself, whoever asks
        env.ref(cron_xmlid)._trigger()


def commit_progress(env, processed=0, remaining=None):
    """Inside a cron job: Odoo's progress API (``ir.cron._commit_progress``): commit what is done,
    and with ``remaining`` > 0 the cron worker runs the job again at once, until nothing remains.
    Outside one (a button, a test), the caller's transaction is left alone: nothing is committed.
    Returns the seconds left for this run of the job (infinite outside a cron)."""
    if not env.context.get("ir_cron_progress_id"):
        return float("inf")
    return env["ir.cron"]._commit_progress(processed, remaining=remaining)
