#!/usr/bin/env bash
# Soak (issue 26): the whole demo journey by several concurrent users over real HTTP, Odoo in prefork mode
# (--workers) with its cron workers as production runs, a real SMTP catcher (aiosmtpd, as `make run`)
# that is down for part of the run. Then: every e-mail Odoo meant to send was received exactly once
# (per message and recipient), none in exception, the delays, and no ERROR nor traceback in the server
# log (its file and the server's own stdout/stderr, where the websocket process would print one).
#   bench/soak.sh            the full soak: 8 users x 5 journeys, the catcher down for 2 minutes
#   bench/soak.sh --quick    for CI (a few minutes): 4 users x 2 journeys, the catcher down for 30 s
#   KH_SOAK_DB (klusheeren_soak_bench)  KH_HTTP_PORT (8079)  KH_SMTP_PORT (8025)  KH_SOAK_WORKERS (3)
#   extra arguments go to bench/soak.py (`python bench/soak.py --help`), e.g. --outage 0
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_SOAK_DB:-klusheeren_soak_bench}"
PORT="${KH_HTTP_PORT:-8079}"
SMTP_PORT="${KH_SMTP_PORT:-8025}"
WORKERS="${KH_SOAK_WORKERS:-3}"
OUT="$LOCAL/soak"
mkdir -p "$OUT"
source "$ROOT/bench/lib.sh"
args=(--users 8 --journeys 5 --outage-after 30 --outage 120)
if [ "${1:-}" = --quick ]; then
    shift
    args=(--users 4 --journeys 2 --outage-after 10 --outage 30 --think 1)
fi

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
q() { bench_q "$DB" "$1"; }
bench_install_db "$DB" "$OUT"
# links in the e-mails point here; no rate limit in the way of the load; no mail server but the command line's
q "update ir_config_parameter set value = 'http://127.0.0.1:$PORT' where key = 'web.base.url';
   insert into ir_config_parameter (key, value) values ('web.base.url.freeze', 'True') on conflict (key) do nothing;
   update ir_mail_server set active = false;" >/dev/null
# (10000: the highest value the setting accepts; a value out of bounds counts as the default)
for key in klusheeren_portal.rate_limit_per_address klusheeren_portal.rate_limit_per_sticker \
        klusheeren_portal.action_limit_per_address; do
    q "insert into ir_config_parameter (key, value) values ('$key', '10000')
       on conflict (key) do update set value = '10000'" >/dev/null
done

: > "$OUT/server.log"
"${ODOO[@]}" -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    --gevent-port=$((PORT + 1)) --workers="$WORKERS" --max-cron-threads=2 \
    --limit-time-real=600 --limit-time-cpu=300 --limit-time-real-cron=600 \
    --limit-memory-soft=$((2048 * 1024 * 1024)) --limit-memory-hard=$((2560 * 1024 * 1024)) \
    --smtp=127.0.0.1 --smtp-port="$SMTP_PORT" --log-level=info \
    --logfile="$OUT/server.log" > "$OUT/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 180); do
    curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || die "Odoo stopped, see $OUT/server.log"
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/web/health" >/dev/null || die "Odoo did not start, see $OUT/server.log"
say "Odoo in prefork mode ($WORKERS workers, 2 cron workers) on 127.0.0.1:$PORT; soak: ${args[*]} $*"
rc=0
"$PY" "$ROOT/bench/soak.py" --base "http://127.0.0.1:$PORT" --db "$DB" --pg-host "$PGSOCK" --pg-port "$PGPORT" \
    --pg-user "$DB_USER" --smtp-port "$SMTP_PORT" --maildir "$OUT/mail" --out "$OUT" \
    --json "$OUT/results.json" "${args[@]}" "$@" 2>&1 | tee "$OUT/results.txt" || rc=$?
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
kill $server 2>/dev/null; wait $server 2>/dev/null; trap - EXIT
say "Server log: $(log_error_counts "$OUT/server.log" "$OUT/server.out") (.local/soak/server.log, server.out)"
bad=$(log_errors "$OUT/server.log" "$OUT/server.out")
if [ -n "$bad" ]; then
    printf '%s\n' "$bad" | cut -c1-300 | head -20 >&2
    rc=1
fi
[ "$rc" = 0 ] && say "Soak passed" || echo "FAILED: see above and $OUT" >&2
exit $rc
