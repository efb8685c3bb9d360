#!/usr/bin/env python3
# Starts Odoo like Odoo's own odoo-bin. bench/run.sh, bench/multinode.sh and bench/soak.sh use this instead
# of `python -m odoo`: with --workers, Odoo's prefork server respawns its websocket (gevent) process as
# `sys.executable sys.argv[0] gevent ...`, and sys.argv[0] of `python -m odoo` (odoo/__main__.py) cannot
# run as a script, so that process would crash and be respawned every second, eating CPU.
# (The websocket process once also failed with pkg_resources' "DistributionNotFound: The 'zope.interface'
# distribution was not found and is required by gevent": .venv saw the machine's site-packages and held
# zope.interface 8. scripts/setup.sh now builds a self-contained .venv pinned by
# requirements-constraints.txt; nothing is patched here, so such a failure shows in the server's output,
# where bench/soak.sh's log check counts its traceback.)
import odoo.cli

if __name__ == "__main__":
    odoo.cli.main()
