#!/usr/bin/env bash
# Planned maintenance benchmark (issue 12): plan one year ahead for N pieces of equipment with a monthly
# job (12 occurrences each), then create and send the work orders whose lead time has come; time and SQL
# queries per occurrence and per work order, at 1,000 and 10,000 pieces of equipment (linearity).
#   KH_BENCH_RECURRING_DB (klusheeren_bench_recurring)  KH_BENCH_RECURRING_SIZES ("1000 10000")
#   KH_BENCH_FRESH=1 (drop and reinstall the database)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_BENCH_RECURRING_DB:-klusheeren_bench_recurring}"
case "$DB" in *bench*) ;; *) die "KH_BENCH_RECURRING_DB must name a benchmark database (…bench…), not $DB" ;; esac
OUT="$LOCAL/bench"
mkdir -p "$OUT"
bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
exists=$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")
installed=""
[ "$exists" = 1 ] && installed=$(psql_local -U "$DB_USER" -d "$DB" -tAc \
    "select 1 from ir_module_module where name='klusheeren_recurring' and state='installed'")
if [ "$exists" = 1 ] && { [ "${KH_BENCH_FRESH:-0}" = 1 ] || [ "$installed" != 1 ]; }; then
    psql_local -U "$DB_USER" -d postgres -c "drop database \"$DB\"" >/dev/null
    rm -rf "$LOCAL/data/filestore/$DB"; exists=""
fi
if [ "$exists" != 1 ]; then
    say "Installing klusheeren_recurring (no demo data) into $DB"
    "$PY" -m odoo -c "$conf" -d "$DB" -i klusheeren_recurring --without-demo=all --stop-after-init \
        --log-level=warn --logfile="$OUT/recurring-install.log" || die "install failed, see $OUT/recurring-install.log"
fi
say "Measuring (every size in one transaction, rolled back: the database stays as installed)"
"$PY" "$ROOT/bench/recurring.py" -c "$conf" -d "$DB" ${KH_BENCH_RECURRING_SIZES:-1000 10000} | tee "$OUT/recurring.txt"
