#!/usr/bin/env bash
# The sending job with its PDFs (issue 26, point 5): work orders per second, each PDF rendered on its own
# (batch 1, as before) and 10 orders of a language per wkhtmltopdf run (batch 10, the default), same
# database, same server, one after the other. Uses the soak's database (bench/soak.sh installs it).
#   KH_PDF_ORDERS (20)  KH_PDF_BATCHES (1,10)  KH_SOAK_DB (klusheeren_soak_bench)  KH_HTTP_PORT (8079)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_SOAK_DB:-klusheeren_soak_bench}"
PORT="${KH_HTTP_PORT:-8079}"
OUT="$LOCAL/soak"
mkdir -p "$OUT"
source "$ROOT/bench/lib.sh"
bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
bench_install_db "$DB" "$OUT"
bench_q "$DB" "update ir_config_parameter set value = 'http://127.0.0.1:$PORT' where key = 'web.base.url';
              update ir_mail_server set active = false" >/dev/null
: > "$OUT/pdf-server.log"
"${ODOO[@]}" -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    --gevent-port=$((PORT + 1)) --workers=2 --max-cron-threads=0 --log-level=warn \
    --logfile="$OUT/pdf-server.log" > "$OUT/pdf-server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 180); do curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break; sleep 1; done
: > "$OUT/pdf.log"
"${ODOO[@]}" shell -c "$conf" -d "$DB" --no-http --log-level=warn --logfile="$OUT/pdf.log" \
    < "$ROOT/bench/pdf.py" | grep '^PDF_RESULT' | tee "$OUT/pdf.txt"
say "Server log: $(log_error_counts "$OUT/pdf-server.log" "$OUT/pdf-server.out" "$OUT/pdf.log")"
