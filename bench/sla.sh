#!/usr/bin/env bash
# SLA benchmark (issue 25): a database with 100,000 open tickets and their work orders bulk-loaded with SQL,
# then bench/sla.py times the SLA job (klusheeren_sla: make, stop and pause the clocks, compute every
# deadline, warn and escalate) and a statistics pivot with the SLA-met share. Results in .local/bench/sla.out.
#   KH_SLA_TICKETS (100000)  KH_SLA_DB (klusheeren_slabench)  KH_BENCH_FRESH=1 (drop and reinstall the database)
# Not part of CI: run it by hand on a quiet machine.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_SLA_DB:-klusheeren_slabench}"
OUT="$LOCAL/bench"
mkdir -p "$OUT"
case "$DB" in *bench*) ;; *) die "KH_SLA_DB must name a benchmark database (…bench…), not $DB" ;; esac

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
        --logfile="$OUT/sla-install.log" || die "install failed, see $OUT/sla-install.log"
fi
say "Loading and measuring (bench/sla.py)"
"$PY" -m odoo shell -c "$conf" -d "$DB" --no-http --log-level=warn --logfile="$OUT/sla.log" \
    < "$ROOT/bench/sla.py" 2>&1 | tee "$OUT/sla.out"
exit "${PIPESTATUS[0]}"
