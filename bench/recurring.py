"""Planned maintenance benchmark (issue 12), run by bench/recurring.sh.

For each size N: N pieces of equipment of one category (one contractor with an e-mail address), one
monthly recurring job on that category starting tomorrow, horizon one year, default lead time (7 days).
1. plan: ``job._klusheeren_plan()`` inserts the year's occurrences, 12 × N (the daily job's planning step);
2. plan again: the same call finds everything planned and inserts nothing (what a second worker does);
3. order: ``_klusheeren_order_due`` makes the tickets and work orders whose lead time has come (tomorrow's
   due date: N of them), through the same business step as a reported fault (created as sent, with the
   contractor's e-mail waiting for the sending job).
Time (wall clock) and SQL queries (the cursor's count) of each step, per occurrence and per work order.
Everything of one size happens in one transaction that is rolled back: the database stays as installed.
"""

import argparse
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config


def measure(cr, fn):
    count, start = cr.sql_log_count, time.perf_counter()
    result = fn()
    cr.flush()
    return result, time.perf_counter() - start, cr.sql_log_count - count


def run(registry, size):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "klusheeren_no_sticker": True})
        assert "bench" in cr.dbname
        contractor = env["res.partner"].create(
            {
                "name": "Bench Onderhoud",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": "bench-onderhoud@example.com",
            }
        )
        category = env["maintenance.equipment.category"].create(
            {"name": f"Bench {size}", "klusheeren_contractor_id": contractor.id}
        )
        site = env["res.partner"].create({"name": "Bench locatie", "is_company": True})
        t0 = time.perf_counter()
        for start in range(0, size, 1000):
            env["maintenance.equipment"].create(
                [
                    {"name": f"Bench {i}", "category_id": category.id, "site_id": site.id}
                    for i in range(start, min(size, start + 1000))
                ]
            )
        seed = time.perf_counter() - t0
        env = env(context={})  # from here on as in production: chatter, tracking
        today = env["klusheeren.recurring.job"]._klusheeren_today()
        job = env["klusheeren.recurring.job"].create(
            {
                "name": "Maandelijks ontkalken",
                "scope": "category",
                "category_id": category.id,
                "interval_type": "months",
                "date_start": today + timedelta(days=1),
                "horizon_days": 365,
            }
        )
        env.flush_all()
        planned, t_plan, q_plan = measure(cr, job._klusheeren_plan)
        again, t_again, q_again = measure(cr, job._klusheeren_plan)
        Occurrence = env["klusheeren.recurring.occurrence"]
        ordered, t_order, q_order = measure(cr, lambda: Occurrence._klusheeren_order_due(job))
        orders = env["klusheeren.work.order"].search_count(
            [("recurring_job_id", "=", job.id), ("state", "=", "sent"), ("mail_pending", "=", True)]
        )
        assert planned == 12 * size, (planned, size)
        assert again == 0 and len(ordered) == size == orders, (again, len(ordered), orders)
        cr.rollback()
    return {
        "size": size,
        "seed": seed,
        "occurrences": planned,
        "t_plan": t_plan,
        "q_plan": q_plan,
        "t_again": t_again,
        "q_again": q_again,
        "orders": len(ordered),
        "t_order": t_order,
        "q_order": q_order,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    assert "bench" in args.database, "only ever on a benchmark database"
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    rows = [run(registry, size) for size in args.sizes]
    print(
        f"{'equipment':>9} {'occurrences':>11} {'plan s':>7} {'µs/occ':>7} {'queries':>7} {'q/occ':>6}"
        f" {'again s':>7} {'q':>4} {'orders':>6} {'order s':>7} {'ms/order':>8} {'q/order':>7}"
    )
    for r in rows:
        print(
            f"{r['size']:>9,} {r['occurrences']:>11,} {r['t_plan']:>7.2f} {1e6 * r['t_plan'] / r['occurrences']:>7.1f}"
            f" {r['q_plan']:>7} {r['q_plan'] / r['occurrences']:>6.4f} {r['t_again']:>7.2f} {r['q_again']:>4}"
            f" {r['orders']:>6,} {r['t_order']:>7.1f} {1e3 * r['t_order'] / r['orders']:>8.2f}"
            f" {r['q_order'] / r['orders']:>7.1f}"
        )
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        scale = b["occurrences"] / a["occurrences"]
        print(
            f"x{scale:.0f} occurrences: planning x{b['t_plan'] / a['t_plan']:.1f} time, "
            f"x{b['q_plan'] / a['q_plan']:.1f} queries; work orders x{b['t_order'] / a['t_order']:.1f} time, "
            f"x{b['q_order'] / a['q_order']:.1f} queries"
        )
    last = rows[-1]
    print(
        f"{last['size']:,} equipment: a year planned ({last['occurrences']:,} occurrences) in {last['t_plan']:.1f} s"
        f" (target: < 120 s), the next run of the day in {last['t_again']:.2f} s; the {last['orders']:,} work"
        f" orders of one due date in {last['t_order']:.1f} s"
    )


if __name__ == "__main__":
    main()
