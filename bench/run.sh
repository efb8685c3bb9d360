#!/usr/bin/env bash
# Load benchmark (issue 4): a database with at least 10,000 tickets, Odoo with workers on 127.0.0.1:8079,
# then bench/load.py. Prints the table of p50/p95/throughput and the ratios against helpdesk_mgmt's page.
#   KH_BENCH_TICKETS (10000)  KH_BENCH_WORKERS (4)  KH_BENCH_DB (klusheeren_bench)  extra args go to load.py
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_BENCH_DB:-klusheeren_bench}"
PORT=8079
WORKERS="${KH_BENCH_WORKERS:-4}"
OUT="$LOCAL/bench"
mkdir -p "$OUT"

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
if [ "$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")" != 1 ]; then
    say "Installing the addons with demo data into $DB"
    "$PY" -m odoo -c "$conf" -d "$DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn \
        --logfile="$OUT/install.log" || die "install failed, see $OUT/install.log"
fi
say "Seeding up to ${KH_BENCH_TICKETS:-10000} tickets"
start=$(date +%s)
"$PY" -m odoo shell -c "$conf" -d "$DB" --no-http --log-level=warn --logfile="$OUT/seed.log" \
    < "$ROOT/bench/seed.py" > "$OUT/seed.out" || die "seeding failed, see $OUT/seed.out and $OUT/seed.log"
say "Seeded in $(( $(date +%s) - start )) s"
eval "$(grep -E '^(TICKETS|QR_PATH|WO_PATH|BASELINE_PATH)=' "$OUT/seed.out" | sed 's/=\(.*\)/="\1"/')"
say "$TICKETS tickets in $DB"

"$PY" -m odoo -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port=$PORT \
    --workers="$WORKERS" --max-cron-threads=0 --limit-time-real=300 --limit-time-cpu=200 \
    --log-level=warn --logfile="$OUT/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || die "Odoo did not start, see $OUT/server.log"
say "Odoo with $WORKERS workers on 127.0.0.1:$PORT; measuring"
"$PY" "$ROOT/bench/load.py" --base "http://127.0.0.1:$PORT" --qr "$QR_PATH" --wo "$WO_PATH" \
    --baseline "$BASELINE_PATH" --json "$OUT/results.json" "$@"
