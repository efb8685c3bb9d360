# bench/intake.py, in `odoo shell` (bench/run.sh): the intake job makes the tickets of the reports
# the measured requests accepted, run as the cron worker runs it (each ticket its own transaction),
# until none is left; prints how fast. The requests only accept a report: this is the other half.
import time

Submission = env["klusheeren.report.submission"].sudo()  # noqa: F821 (odoo shell)
cron = env.ref("klusheeren_portal.ir_cron_report_intake")  # noqa: F821
domain = Submission._klusheeren_intake_domain()
queued = Submission.search_count(domain)
env.cr.commit()  # noqa: F821
start = time.perf_counter()
runs = 0
while runs < 10000 and Submission.search_count(domain):
    cron.method_direct_trigger()
    env.cr.commit()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    runs += 1
seconds = time.perf_counter() - start
left = Submission.search_count(domain)
made = queued - left
print(
    f"INTAKE queued={queued} made={made} left={left} seconds={seconds:.1f} "
    f"tickets_per_second={made / seconds if seconds else 0:.1f} job_runs={runs}"
)
