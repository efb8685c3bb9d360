#!/usr/bin/env python3
# Starts Odoo like Odoo's own odoo-bin. bench/run.sh uses this instead of `python -m odoo`: with
# --workers, Odoo's prefork server respawns its websocket (gevent) process as
# `sys.executable sys.argv[0] gevent ...`, and sys.argv[0] of `python -m odoo` (odoo/__main__.py)
# cannot run as a script, so that process would crash and be respawned every second, eating CPU.
# For the same reason, when gevent itself cannot be imported (seen on the 2-core bench machine:
# gevent 22.10's plugin loader cannot resolve zope.interface 8.x through pkg_resources), the
# websocket process, which no measured page uses, stays idle instead of crashing in a loop.
import os
import sys
import time

if __name__ == "__main__":
    if sys.argv[1:2] == ["gevent"]:
        try:
            import odoo.cli
        except Exception as exc:  # noqa: BLE001
            print(f"bench/odoo_launcher.py: websocket process not started ({exc!r}); idle until Odoo stops",
                  file=sys.stderr)
            parent = os.getppid()
            while os.getppid() == parent:
                time.sleep(2)
            sys.exit(0)
    import odoo.cli

    odoo.cli.main()
