# Statistics and export benchmark (issue 13). Run inside `odoo shell` on a benchmark database
# (bench/stats.sh does): `env` is given. It commits.
#
# 1. Bulk-loads KH_STATS_TICKETS tickets (1,000,000) with SQL, over 36 months, 40 customers with 5
#    sites each, 2,000 pieces of equipment in 20 categories, 30 contractors, 4 channels; 90 % of the
#    tickets get a work order (70 % done, with 3 lines each for the export set), the rest none.
# 2. Refreshes the statistics (materialized view + equipment MTBF/MTTR) and times it.
# 3. Times the pivots as the web client asks them (formatted_read_grouping_sets: every groupby prefix,
#    as the back-office user, through the ORM and its record rules): site x month, contractor;
#    and a contractor's portal login (record rule) by month.
# 4. Times the export of 10,000 done work orders with 3 lines each (bind, XLSX, CSV, attachments).
# Prints KEY=VALUE lines; exits non-zero when a target is missed.
import os
import statistics
import sys
import time
from datetime import date, timedelta

from odoo.tools import SQL

assert "bench" in env.cr.dbname, f"stats.py only runs on a benchmark database, not {env.cr.dbname}"
N = int(os.environ.get("KH_STATS_TICKETS", "1000000"))
N_EXPORT = int(os.environ.get("KH_STATS_EXPORT", "10000"))
cr = env.cr
t_all = time.perf_counter()


def timed(label, fn, repeat=1):
    times = []
    result = None
    for _i in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    print(f"{label}: " + " / ".join(f"{t:.3f}" for t in times) + " s", flush=True)
    return result, times


# ----------------------------------------------------------------------
# 1. master data (ORM, small) and the bulk load (SQL)
# ----------------------------------------------------------------------
Partner = env["res.partner"].sudo()
company = env.company
cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE name LIKE 'Bench-stats %%'")
have = cr.fetchone()[0]
if have < N:
    customers = Partner.create([{"name": f"Bench klant {i:02d}", "is_company": True} for i in range(40)])
    sites = Partner.create(
        [
            {"name": f"Bench locatie {c.name[-2:]}-{j}", "is_company": True, "parent_id": c.id}
            for c in customers
            for j in range(5)
        ]
    )
    contractors = Partner.create(
        [
            {
                "name": f"Bench contractpartner {i:02d}",
                "is_company": True,
                "klusheeren_is_contractor": True,
                "email": f"bench{i}@example.com",
            }
            for i in range(30)
        ]
    )
    categories = (
        env["maintenance.equipment.category"].sudo().create([{"name": f"Bench categorie {i}"} for i in range(20)])
    )
    env.flush_all()
    cr.execute(
        SQL(
            """INSERT INTO maintenance_equipment (name, active, company_id, category_id, site_id, contractor_id,
                                                  effective_date, create_date, write_date, create_uid, write_uid)
               SELECT jsonb_build_object('en_US', 'Bench apparaat ' || g), TRUE, %(company)s,
                      (%(cats)s::int[])[1 + g %% 20],
                      (%(sites)s::int[])[1 + g %% 200], (%(contractors)s::int[])[1 + g %% 30],
                      CURRENT_DATE, now(), now(), 1, 1
                 FROM generate_series(1, 2000) g""",
            company=company.id,
            cats=categories.ids,
            sites=sites.ids,
            contractors=contractors.ids,
        )
    )
    cr.execute(
        "SELECT id, site_id, contractor_id FROM maintenance_equipment"
        " WHERE name->>'en_US' LIKE 'Bench apparaat %%' ORDER BY id"
    )
    eq_rows = cr.fetchall()
    eq_ids = [r[0] for r in eq_rows]
    channels = env["helpdesk.ticket.channel"].sudo().search([], limit=4).ids
    team = env.ref("klusheeren_helpdesk.team_storingen")
    stage = env.ref("klusheeren_helpdesk.stage_closed")
    start = time.perf_counter()
    chunk = 200_000
    for offset in range(0, N - have, chunk):
        n = min(chunk, N - have - offset)
        # equipment, site and contractor follow from one random number per ticket
        cr.execute(
            SQL(
                """INSERT INTO helpdesk_ticket (name, description, company_id, team_id, stage_id, channel_id,
                                                 equipment_id, site_id, create_date, write_date, create_uid,
                                                 write_uid, active, klusheeren_reopen_count)
                   SELECT 'Bench-stats ' || (%(offset)s + g), '<p>Storing</p>', %(company)s, %(team)s, %(stage)s,
                          (%(channels)s::int[])[1 + g %% %(nch)s], e.id, e.site_id,
                          now() - (random() * interval '1080 days') - interval '20 days', now(), 1, 1, TRUE,
                          CASE WHEN random() < 0.05 THEN 1 ELSE 0 END
                     FROM generate_series(1, %(n)s) g
                     JOIN maintenance_equipment e ON e.id = (%(eqs)s::int[])[1 + (g * 7919) %% 2000]""",
                offset=have + offset,
                company=company.id,
                team=team.id,
                stage=stage.id,
                channels=channels,
                nch=len(channels),
                n=n,
                eqs=eq_ids,
            )
        )
        print(f"tickets: {have + offset + n} ({time.perf_counter() - start:.0f} s)", flush=True)
    # what finance exported before: every done order (the export set is made below)
    historic = (
        env["klusheeren.finance.export"].sudo().create({"date_from": date(2000, 1, 1), "date_to": date(2000, 1, 1)})
    )
    env.flush_all()
    cr.execute(SQL("UPDATE klusheeren_finance_export SET state = 'exported' WHERE id = %s", historic.id))
    # work orders for 90 % of the new tickets: 70 % of all done, the rest sent/accepted/refused
    cr.execute(
        SQL(
            """INSERT INTO klusheeren_work_order (name, state, ticket_id, equipment_id, site_id, contractor_id,
                                                 company_id, title, date_sent, date_accepted, appointment_date,
                                                 date_done, amount_total, klusheeren_export_id, create_date,
                                                 write_date, create_uid, write_uid)
               SELECT 'KH-OC-B' || t.id, s.state, t.id, t.equipment_id, t.site_id, e.contractor_id, t.company_id,
                      t.name, t.create_date + interval '1 hour',
                      CASE WHEN s.state IN ('accepted', 'done') THEN t.create_date + s.r * interval '30 hours' END,
                      CASE WHEN s.state IN ('accepted', 'done') THEN t.create_date + s.r * interval '4 days' END,
                      CASE WHEN s.state = 'done' THEN t.create_date + interval '2 days' + s.r * interval '10 days' END,
                      CASE WHEN s.state = 'done' THEN round((50 + s.r * 450)::numeric, 2) ELSE 0 END,
                      CASE WHEN s.state = 'done' THEN %(historic)s END,
                      t.create_date, now(), 1, 1
                 FROM (SELECT t.*, random() AS r, random() AS p FROM helpdesk_ticket t
                        WHERE t.name LIKE 'Bench-stats %%') t
                 JOIN maintenance_equipment e ON e.id = t.equipment_id
                 CROSS JOIN LATERAL (SELECT t.r, CASE WHEN t.p < 0.7 THEN 'done' WHEN t.p < 0.8 THEN 'accepted'
                                                      WHEN t.p < 0.85 THEN 'refused' ELSE 'sent' END AS state) s
                WHERE t.p < 0.9
                  AND NOT EXISTS (SELECT 1 FROM klusheeren_work_order w WHERE w.ticket_id = t.id)""",
            historic=historic.id,
        )
    )
    print(f"work orders: {cr.rowcount} ({time.perf_counter() - start:.0f} s)", flush=True)
    cr.commit()
    # fresh statistics for the planner after the bulk load (autovacuum would get there later)
    cr.execute("ANALYZE helpdesk_ticket; ANALYZE klusheeren_work_order; ANALYZE maintenance_equipment")
    print(f"SEED_SECONDS={time.perf_counter() - start:.1f}", flush=True)

# the export set: N_EXPORT done orders completed last week, not exported, with 3 lines each
week_start = date.today() - timedelta(days=7)
cr.execute(
    SQL(
        """SELECT count(*) FROM klusheeren_work_order
            WHERE state = 'done' AND klusheeren_export_id IS NULL AND date_done >= %s""",
        week_start,
    )
)
if cr.fetchone()[0] < N_EXPORT:
    cr.execute(
        SQL(
            """WITH picked AS (
                   SELECT id FROM klusheeren_work_order
                    WHERE state = 'done' AND name LIKE 'KH-OC-B%%' ORDER BY id DESC LIMIT %s)
               UPDATE klusheeren_work_order w
                  SET klusheeren_export_id = NULL,
                      date_done = now() - random() * interval '6 days'
                 FROM picked WHERE picked.id = w.id""",
            N_EXPORT,
        )
    )
    unit = env.ref("uom.product_uom_unit").id
    hour = env.ref("uom.product_uom_hour").id
    cr.execute(
        SQL(
            """DELETE FROM klusheeren_work_order_line l USING klusheeren_work_order w
                WHERE l.work_order_id = w.id AND w.klusheeren_export_id IS NULL AND w.state = 'done'
                  AND w.name LIKE 'KH-OC-B%%';
               INSERT INTO klusheeren_work_order_line (work_order_id, company_id, sequence, line_type, name,
                                                      quantity, uom_id, price_unit, price_subtotal,
                                                      create_date, write_date, create_uid, write_uid)
               SELECT w.id, w.company_id, k, (ARRAY['call_out', 'labour', 'material'])[k],
                      (ARRAY['Voorrijkosten', 'Arbeid monteur', 'Onderdeel ' || w.id])[k],
                      (ARRAY[1, 1.5, 2])[k], (ARRAY[%(unit)s, %(hour)s, %(unit)s])[k],
                      (ARRAY[45, 65, 12.5])[k], (ARRAY[45, 97.5, 25])[k], now(), now(), 1, 1
                 FROM klusheeren_work_order w CROSS JOIN generate_series(1, 3) k
                WHERE w.klusheeren_export_id IS NULL AND w.state = 'done' AND w.name LIKE 'KH-OC-B%%';
               UPDATE klusheeren_work_order w SET amount_total = 167.5
                WHERE w.klusheeren_export_id IS NULL AND w.state = 'done' AND w.name LIKE 'KH-OC-B%%'""",
            unit=unit,
            hour=hour,
        )
    )
    cr.commit()
cr.execute("ANALYZE helpdesk_ticket; ANALYZE klusheeren_work_order; ANALYZE klusheeren_work_order_line")
cr.execute("SELECT count(*) FROM helpdesk_ticket")
tickets = cr.fetchone()[0]
cr.execute("SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM klusheeren_work_order")
orders, done = cr.fetchone()
print(f"TICKETS={tickets}\nWORK_ORDERS={orders}\nDONE={done}", flush=True)

# ----------------------------------------------------------------------
# 2. refresh
# ----------------------------------------------------------------------
Report = env["klusheeren.ticket.report"]
_r, refresh_times = timed("refresh (materialized view + MTBF/MTTR)", lambda: Report.sudo()._klusheeren_refresh())
cr.commit()
print(f"REFRESH_SECONDS={refresh_times[0]:.1f}", flush=True)

# ----------------------------------------------------------------------
# 3. pivots, as the web client asks them
# ----------------------------------------------------------------------
backoffice = env["res.users"].search([("login", "=", "backoffice")], limit=1) or env.ref("base.user_admin")
as_bo = Report.with_user(backoffice)


def pivot(model, rows, cols, measures, domain=()):
    # what the pivot view asks (web/static/src/views/pivot/pivot_model.js): every groupby prefix
    # of rows and columns in one formatted_read_grouping_sets call, i.e. one SQL query
    sets = [[], rows, cols, rows + cols] if cols else [[], rows]
    return lambda: model.formatted_read_grouping_sets(list(domain), sets, measures)


targets = {}
ranges = {}
result, t = timed(
    "pivot site x month",
    pivot(as_bo, ["site_id"], ["date:month"], ["__count", "cost:sum", "hours_to_done:avg"]),
    repeat=5,
)
print(f"  {len(result[3])} cells, {result[0][0]['__count']} tickets", flush=True)
targets["PIVOT_SITE_MONTH"] = statistics.median(t)
ranges["PIVOT_SITE_MONTH"] = (min(t), max(t))
result, t = timed(
    "pivot contractor",
    pivot(
        as_bo,
        ["contractor_id"],
        [],
        ["__count", "hours_to_accept:avg", "hours_to_done:avg", "reopen_count:sum", "cost:sum"],
    ),
    repeat=5,
)
targets["PIVOT_CONTRACTOR"] = statistics.median(t)
ranges["PIVOT_CONTRACTOR"] = (min(t), max(t))
portal = env["res.users"].sudo().search([("login", "=", "bench_contractor")], limit=1)
if not portal:
    contractor = Partner.search([("name", "=", "Bench contractpartner 00")], limit=1)
    portal = (
        env["res.users"]
        .sudo()
        .create(
            {
                "name": "Bench contractor",
                "login": "bench_contractor",
                "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )
    portal.partner_id.parent_id = contractor
    cr.commit()
result, t = timed(
    "portal contractor by month (record rule)",
    pivot(Report.with_user(portal), ["date:month"], [], ["__count", "hours_to_done:avg"]),
    repeat=5,
)
targets["PIVOT_PORTAL_CONTRACTOR"] = statistics.median(t)
ranges["PIVOT_PORTAL_CONTRACTOR"] = (min(t), max(t))

# ----------------------------------------------------------------------
# 4. export of the week's done work orders with their lines
# ----------------------------------------------------------------------
Export = env["klusheeren.finance.export"].with_user(backoffice)
batch = Export.create({"date_from": week_start, "date_to": date.today()})
print(f"export candidates: {batch.candidate_count}", flush=True)
_r, t = timed("export (bind, XLSX, CSV)", batch.action_export)
targets["EXPORT_SECONDS"] = t[0]
print(f"EXPORTED={batch.work_order_count}\nLINES={len(batch.work_order_ids.line_ids)}")
print(f"XLSX_BYTES={batch.xlsx_attachment_id.file_size}\nCSV_BYTES={batch.csv_attachment_id.file_size}")
cr.rollback()  # the benchmark's export set stays for the next run

for key, value in targets.items():
    low, high = ranges.get(key, (value, value))
    print(f"{key}={value:.3f}  (range {low:.3f}-{high:.3f})")
print(f"LOAD_AVERAGE={' '.join(f'{x:.2f}' for x in os.getloadavg())}")
limits = {"PIVOT_SITE_MONTH": 1.0, "PIVOT_CONTRACTOR": 1.0, "PIVOT_PORTAL_CONTRACTOR": 1.0, "EXPORT_SECONDS": 30.0}
missed = [k for k, limit in limits.items() if targets[k] >= limit]
print("RESULT=" + ("OK" if not missed else "MISSED " + ",".join(missed)))
print(f"TOTAL_SECONDS={time.perf_counter() - t_all:.0f}")
sys.exit(1 if missed else 0)
