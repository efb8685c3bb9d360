#!/usr/bin/env bash
# Statistics and export benchmark (issue 13): a database with 1,000,000 tickets bulk-loaded with SQL,
# then bench/stats.py times the refresh of the statistics, the pivots and the export of 10,000 work
# orders with lines. Results in .local/bench/stats.out.
#   KH_STATS_TICKETS (1000000)  KH_STATS_EXPORT (10000)  KH_STATS_DB (klusheeren_statsbench)
#   KH_BENCH_FRESH=1 (drop and reinstall the database)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_STATS_DB:-klusheeren_statsbench}"
OUT="$LOCAL/bench"
mkdir -p "$OUT"
case "$DB" in *bench*) ;; *) die "KH_STATS_DB must name a benchmark database (…bench…), not $DB" ;; esac

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
if [ "${KH_BENCH_FRESH:-0}" = 1 ]; then
    psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"$DB\"" >/dev/null
    rm -rf "$LOCAL/data/filestore/$DB"
fi
installed=$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")
if [ "$installed" != 1 ]; then
    say "Installing $ADDONS (no demo data) into $DB"
    "$PY" -m odoo -c "$conf" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn \
        --logfile="$OUT/stats-install.log" || die "install failed, see $OUT/stats-install.log"
fi
say "Loading and measuring (bench/stats.py)"
"$PY" -m odoo shell -c "$conf" -d "$DB" --no-http --log-level=warn --logfile="$OUT/stats.log" \
    < "$ROOT/bench/stats.py" 2>&1 | tee "$OUT/stats.out"
exit "${PIPESTATUS[0]}"
