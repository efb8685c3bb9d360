#!/usr/bin/env bash
# Load benchmark (issue 4): a database with at least 10,000 tickets, Odoo with workers on 127.0.0.1:8079,
# then bench/load.py. Prints the table of p50/p95/throughput and the ratios against helpdesk_mgmt's page,
# then checks that no PDF was rendered and no e-mail was sent during the measured requests.
#   KH_BENCH_TICKETS (10000)  KH_BENCH_WORKERS (4)  KH_BENCH_DB (klusheeren_bench)
#   KH_BENCH_PORT (8079)  KH_BENCH_SMTP_PORT (8025)  KH_BENCH_FRESH=1 (drop and reinstall the database)
#   extra arguments go to bench/load.py (see `python bench/load.py --help`)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_BENCH_DB:-klusheeren_bench}"
PORT="${KH_BENCH_PORT:-8079}"
SMTP_PORT="${KH_BENCH_SMTP_PORT:-8025}"
WORKERS="${KH_BENCH_WORKERS:-4}"
OUT="$LOCAL/bench"
mkdir -p "$OUT"
source "$ROOT/bench/lib.sh"
case "$DB" in *bench*) ;; *) die "KH_BENCH_DB must name a benchmark database (…bench…), not $DB" ;; esac

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
q() { bench_q "$DB" "$1"; }
bench_install_db "$DB" "$OUT"
bench_seed "$DB" "$OUT" "${KH_BENCH_TICKETS:-10000}"

# What would show a PDF render or an e-mail send: counted before and after the measured requests.
snapshot() {
    q "select 'tickets', count(*) from helpdesk_ticket
       union all select 'reports_accepted', count(*) from klusheeren_report_submission where number is not null
       union all select 'tickets_confirmation_pending', count(*) from helpdesk_ticket where klusheeren_ack_pending
       union all select 'work_orders_mail_pending', count(*) from klusheeren_work_order where mail_pending
       union all select 'work_order_pdfs', count(*) from ir_attachment
                 where res_model = 'klusheeren.work.order' and mimetype = 'application/pdf'
       union all select 'mail_' || s, (select count(*) from mail_mail where state = s)
                 from unnest(array['outgoing','sent','received','exception','cancel']) s"
}
snapshot > "$OUT/before.txt"

# Crons are kept out of the measured window: --max-cron-threads=0, so the work order PDF
# (cron _cron_send_pending) and the mail queue are not processed while measuring. Any SMTP
# connection goes to load.py's sink on 127.0.0.1:$SMTP_PORT and is counted there.
: > "$OUT/server.log"
"${ODOO[@]}" -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    --gevent-port=$((PORT + 1)) --workers="$WORKERS" --max-cron-threads=0 --proxy-mode \
    --limit-time-real=300 --limit-time-cpu=200 --limit-request=100000 \
    --limit-memory-soft=$((2048 * 1024 * 1024)) --limit-memory-hard=$((2560 * 1024 * 1024)) \
    --smtp=127.0.0.1 --smtp-port="$SMTP_PORT" \
    --log-level=warn --log-handler=odoo.addons.base.models.ir_actions_report:INFO \
    --log-handler=odoo.addons.mail.models.mail_mail:INFO --log-handler=odoo.addons.base.models.ir_mail_server:INFO \
    --logfile="$OUT/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || die "Odoo stopped, see $OUT/server.log"
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || die "Odoo did not start, see $OUT/server.log"
say "Odoo with $WORKERS workers, no cron thread, on 127.0.0.1:$PORT; measuring"
log_from=$(( $(stat -c %s "$OUT/server.log") + 1 ))
rc=0
"$PY" "$ROOT/bench/load.py" --base "http://127.0.0.1:$PORT" --qr "$QR_PATH" --wo "$WO_PATH" \
    --baseline "$BASELINE_PATH" --smtp-sink-port "$SMTP_PORT" --json "$OUT/results.json" \
    --meta "tickets=$TICKETS" --meta "tickets_seeded_now=$CREATED" --meta "workers=$WORKERS" \
    --meta "seed_step_seconds=$SEED_SECONDS" --meta "seed_script_seconds=$(grep -oP '^SEED_SECONDS=\K.*' "$OUT/seed.out")" \
    "$@" 2>&1 | tee "$OUT/results.txt" || rc=$?
snapshot > "$OUT/after.txt"
tail -c +"$log_from" "$OUT/server.log" > "$OUT/server-measured.log"

echo
say "During the measured requests (crons off):"
both() { awk 'NR == FNR {b[$1] = $2; next} {print $1, b[$1], $2}' "$OUT/before.txt" "$OUT/after.txt"; }
both | awk '{printf "  %-26s %8s -> %8s  (%+d)\n", $1, $2, $3, $3 - $2}'
delta() { both | awk -v k="$1" '$1 == k {print $3 - $2}'; }
pdf_log=$(grep -c "PDF report has been generated\|wkhtmltopdf" "$OUT/server-measured.log" || true)
smtp_log=$(grep -cE "Sent batch|Total emails tried by SMTP|Mail delivery failed|SMTP" "$OUT/server-measured.log" || true)
errors_log=$(grep -cE " (ERROR|CRITICAL) " "$OUT/server-measured.log" || true)
posted=$(python3 -c "import json; r=json.load(open('$OUT/results.json')); print(sum(x['ok_including_warmup'] for x in r['scenarios'] if x['name'].startswith('qr_post')))" 2>/dev/null || echo "?")
echo "  reports posted (303, warm-up included): $posted; accepted: $(delta reports_accepted); tickets made in the requests: $(delta tickets)"
echo "  server log: $pdf_log PDF renders, $smtp_log SMTP/mail-send lines, $errors_log errors (.local/bench/server-measured.log)"
if [ "$(delta work_order_pdfs)" = 0 ] && [ "$(delta mail_sent)" = 0 ] && [ "$(delta mail_exception)" = 0 ] \
        && [ "$(delta mail_outgoing)" = 0 ] \
        && [ "$pdf_log" = 0 ] && [ "$smtp_log" = 0 ]; then
    echo "  OK: no PDF rendered and no e-mail rendered or sent inside the requests: the reporters'"
    echo "      confirmations (tickets_confirmation_pending) and the work orders with their PDF"
    echo "      (work_orders_mail_pending) wait for the sending job, then the mail queue sends them"
else
    echo "  FAILED: a PDF was rendered or an e-mail was sent during the requests"; rc=1
fi
[ "$errors_log" = 0 ] || { echo "  the server logged errors during the run"; rc=1; }
[ "$posted" = "$(delta reports_accepted)" ] || { echo "  FAILED: not every report answered with 303 was accepted"; rc=1; }

# The other half of a report: the intake job makes the tickets of the accepted reports (the cron
# worker, right after each report's commit in production; here after the measured requests).
say "The intake job makes the tickets of the $(delta reports_accepted) accepted reports"
"${ODOO[@]}" shell -c "$conf" -d "$DB" --no-http --log-level=warn --logfile="$OUT/intake.log" \
    < "$ROOT/bench/intake.py" | grep '^INTAKE' | tee "$OUT/intake.txt"
grep -q ' left=0 ' "$OUT/intake.txt" || { echo "  FAILED: reports left without a ticket (see $OUT/intake.log)"; rc=1; }
exit $rc
