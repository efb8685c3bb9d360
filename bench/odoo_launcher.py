#!/usr/bin/env python3
# Starts Odoo like Odoo's own odoo-bin. bench/run.sh and bench/multinode.sh use this instead of
# `python -m odoo`: with --workers, Odoo's prefork server respawns its websocket (gevent) process as
# `sys.executable sys.argv[0] gevent ...`, and sys.argv[0] of `python -m odoo` (odoo/__main__.py)
# cannot run as a script, so that process would crash and be respawned every second, eating CPU.
# The websocket process imports gevent, whose monkey-patching loads its own plugin entry point through
# pkg_resources; the setuptools of this machine's Python cannot match gevent's requirement
# "zope.interface" with the installed distribution "zope_interface" 8.x (a metadata naming mismatch, the
# module itself imports fine) and raised DistributionNotFound. The requirement check of entry points is
# skipped here, for that process only. If gevent still cannot start, the process stays idle instead of
# crashing in a loop (bench/run.sh measures no websocket; bench/multinode.py then fails its bus check).
import os
import sys
import time

if __name__ == "__main__":
    if sys.argv[1:2] == ["gevent"]:
        try:
            import pkg_resources

            pkg_resources.EntryPoint.require = lambda self, *args, **kwargs: None
        except ImportError:
            pass
        try:
            import odoo.cli
        except Exception as exc:
            print(
                f"bench/odoo_launcher.py: websocket process not started ({exc!r}); idle until Odoo stops",
                file=sys.stderr,
            )
            parent = os.getppid()
            while os.getppid() == parent:
                time.sleep(2)
            sys.exit(0)
    import odoo.cli

    odoo.cli.main()
