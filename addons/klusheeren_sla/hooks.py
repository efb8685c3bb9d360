def post_init_hook(env):
    """Clocks for the tickets and work orders already there, closed ones included (the
    statistics of the past), with their deadlines and states."""
    env["klusheeren.sla.clock"]._klusheeren_maintain(None, backfill=True)
