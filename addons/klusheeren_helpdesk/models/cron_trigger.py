def trigger_once(env, cron_xmlid):
    """Wake the cron ``cron_xmlid`` once per transaction, however many records ask for it:
    it then runs in the cron worker soon after the commit, never inside the current request."""
    key = f"klusheeren.trigger.{cron_xmlid}"
    if not env.cr.precommit.data.get(key):
        env.cr.precommit.data[key] = True
        env.ref(cron_xmlid).sudo()._trigger()
