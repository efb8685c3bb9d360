#!/usr/bin/env bash
# The addons' tests under Odoo's own test runner, as OCA's CI and runbot run them, on a fresh database:
# by default in English only (no --load-language), which proves that the demo installs without Dutch being
# loaded first, or as a Dutch operator installs it; and that the demo's e-mails then leave.
#   KH_TEST_LANG=en  (default) English only: `odoo -i <addons> --with-demo --test-enable ...`, as OCA's CI
#   KH_TEST_LANG=nl  a Dutch operator's database: `odoo db init --language nl_NL --country NL` first (EUR, the
#                    Dutch chart, Europe/Amsterdam), then the same run with English loaded beside Dutch (lib.sh)
#   1. `odoo -i <addons> --with-demo --test-enable --test-tags /<addon>,... --stop-after-init`
#   2. judge: exit code, no ERROR/CRITICAL/traceback in the log, no skipped test, every addon ran tests,
#      every addon installed with its demo data, every mail template of the addons has its model
#   3. the demo database served with its cron worker and a local SMTP sink (aiosmtpd): every e-mail the
#      demo queued (reporters' confirmations, contractors' work orders with their PDF) reaches the sink
#   KH_RUNNER_DB=name (default klusheeren_runner)   KH_RUNNER_TIMEOUT (default 25m: a hanging test fails)
#   KH_HTTP_PORT (the test server; default 8069)     KH_SMTP_PORT (the sink; default KH_HTTP_PORT + 10000)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SETTING="${KH_TEST_LANG:-en}"
case "$SETTING" in
    en) DB="${KH_RUNNER_DB:-klusheeren_runner}" ;;
    nl) DB="${KH_RUNNER_DB:-klusheeren_runner_nl}" ;;
    *) die "KH_TEST_LANG must be nl or en, not '$SETTING'" ;;
esac
PORT="${KH_HTTP_PORT:-8069}"
SMTP_PORT="${KH_SMTP_PORT:-$((PORT + 10000))}"
LOGDIR="$LOCAL/test-logs/$DB"
MAILDIR="$LOGDIR/mail"
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - ${1:-$t0} )) s"; }

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1"; }

psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"$DB\"" >/dev/null
rm -rf "$LOCAL/data/filestore/$DB" "$LOGDIR"
mkdir -p "$LOGDIR"
IFS=, read -r -a addons <<<"$ADDONS"
tags=$(printf '/%s,' "${addons[@]}"); tags=${tags%,}

# --- 1. install with demo data and run the tests ------------------------------------------------------
say "Odoo's test runner: installing $ADDONS with demo data into a fresh database $DB (KH_TEST_LANG=$SETTING) and running its tests"
step=$(date +%s)
rc=0
timeout --foreground "${KH_RUNNER_TIMEOUT:-25m}" bash -c 'source "$0"; create_db "$@"' "$ROOT/scripts/lib.sh" \
    "$DB" "$SETTING" "$ADDONS" \
    "$LOGDIR/odoo.log" --test-enable --test-tags "$tags" --log-level=info --http-port="$PORT" || rc=$?
say "Odoo's test runner finished with exit code $rc after $(elapsed "$step")"

# --- 2. judge the run -------------------------------------------------------------------------------
problems=()
log="$LOGDIR/odoo.log"
case "$rc" in
    0) ;;
    124) problems+=("Odoo's test runner did not finish within ${KH_RUNNER_TIMEOUT:-25m} (a test hangs?)") ;;
    *) problems+=("Odoo's test runner exited with $rc") ;;
esac
bad=$(log_errors "$log")
if [ -n "$bad" ]; then
    problems+=("the Odoo log ${log#$ROOT/} holds errors (first lines above)")
    printf '%s\n' "$bad" | cut -c1-300 | head -20 >&2
fi
skipped=$(grep -cE ' odoo\.addons\.[a-z_]+\.tests[.a-z_]*: skipped ' "$log" || true)
[ "$skipped" = 0 ] || problems+=("$skipped test(s) skipped: $(grep -E ': skipped ' "$log" | head -3 | cut -c1-200)")
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$log" | tail -1)
read -r failed errors total <<<"$(sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"${summary:-? ? 0}")"
[ -n "$summary" ] || problems+=("no test summary in the log")
for a in "${addons[@]}"; do
    n=$(grep -cE " odoo\.addons\.$a\.tests\.[a-z_]+: Starting " "$log" || true)
    printf '    %-24s %3s tests\n' "$a" "$n"
    [ "$n" -gt 0 ] || problems+=("no test of $a ran")
done
without_demo=$(q "select string_agg(name, ', ') from ir_module_module
                  where name in ($(printf "'%s'," "${addons[@]}" | sed 's/,$//')) and (state != 'installed' or not demo)")
[ -z "$without_demo" ] || problems+=("installed without demo data (or not installed): $without_demo")
no_model=$(q "select string_agg(d.module || '.' || d.name, ', ') from mail_template t
              join ir_model_data d on d.model = 'mail.template' and d.res_id = t.id
              where d.module like 'klusheeren%' and (t.model is null or t.model_id is null)")
[ -z "$no_model" ] || problems+=("mail templates without their model: $no_model")
langs=$(q "select string_agg(code, ',' order by code) from res_lang where active")
say "Tests: ${total:-?} run, ${failed:-?} failed, ${errors:-?} errors, $skipped skipped; active languages: $langs"

# --- 3. the demo's e-mails leave ------------------------------------------------------------------------
if [ "$rc" = 0 ]; then
    say "Serving $DB with its cron worker; e-mails go to a local SMTP sink on port $SMTP_PORT"
    step=$(date +%s)
    mkdir -p "$MAILDIR"/tmp "$MAILDIR"/new "$MAILDIR"/cur
    q "update ir_config_parameter set value = 'http://127.0.0.1:$PORT' where key = 'web.base.url'" >/dev/null
    "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
        >"$LOGDIR/smtp.log" 2>&1 &
    sink=$!
    "$PY" -m odoo -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=info \
        --smtp=127.0.0.1 --smtp-port="$SMTP_PORT" --logfile="$LOGDIR/serve.log" &
    server=$!
    trap 'kill "$server" "$sink" 2>/dev/null || true' EXIT
    waiting=""
    for _i in $(seq 1 90); do
        sleep 2
        waiting=$(q "select (select count(*) from klusheeren_work_order where mail_pending)
                          + (select count(*) from helpdesk_ticket where klusheeren_ack_pending)
                          + (select count(*) from mail_mail where state = 'outgoing')" 2>/dev/null || echo '?')
        [ "$waiting" = 0 ] && break
    done
    kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
    kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true
    trap - EXIT
    queued=$(q "select count(*) from mail_mail where state = 'sent'")  # those kept after sending
    failed_mails=$(q "select count(*) from mail_mail where state = 'exception'")
    work_orders=$(q "select count(*) from mail_mail m join mail_message msg on msg.id = m.mail_message_id
                     where msg.model = 'klusheeren.work.order' and exists (
                        select 1 from message_attachment_rel r join ir_attachment a on a.id = r.attachment_id
                        where r.message_id = msg.id and a.mimetype = 'application/pdf')")
    received=$(find "$MAILDIR/new" -type f | wc -l)
    with_pdf=$(grep -l 'application/pdf' "$MAILDIR"/new/* 2>/dev/null | wc -l)
    say "Demo e-mails: $received received by the sink ($with_pdf with a PDF), $work_orders work order e-mails with their PDF, $failed_mails failed, still waiting: $waiting ($(elapsed "$step"))"
    [ "$waiting" = 0 ] || problems+=("demo e-mails still waiting after 180 s: $waiting")
    [ "$failed_mails" = 0 ] || problems+=("$failed_mails e-mail(s) failed to send")
    [ "$received" -gt 0 ] && [ "$received" -ge "$queued" ] || problems+=("the sink received $received of $queued demo e-mails")
    [ "$work_orders" -gt 0 ] && [ "$with_pdf" -ge "$work_orders" ] \
        || problems+=("work order e-mails with a PDF: $work_orders queued, $with_pdf received")
    bad=$(log_errors "$LOGDIR/serve.log")
    if [ -n "$bad" ]; then
        problems+=("the server log ${LOGDIR#$ROOT/}/serve.log holds errors (first lines above)")
        printf '%s\n' "$bad" | cut -c1-300 | head -20 >&2
    fi
fi

echo "odoo-runner: $(( ${total:-0} - ${failed:-0} - ${errors:-0} )) passed, $(( ${failed:-0} + ${errors:-0} )) failed, $skipped skipped"
if [ ${#problems[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${problems[@]}" >&2
    exit 1
fi
say "Odoo's runner: all tests passed, none skipped, demo installed (KH_TEST_LANG=$SETTING) and its e-mails sent ($(elapsed) in all; logs in ${LOGDIR#$ROOT/})"
