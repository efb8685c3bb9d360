#!/usr/bin/env bash
# Upgrades never break a printed sticker (OCA/field-service#1596: an upgrade left 20 000 printed QR codes
# pointing nowhere). Builds a database with the previous release of the addons, uses it as people do, upgrades
# it with `-u` to this checkout, and fails unless everything that worked before works the same after:
#   1. the previous release (RELEASES: the last release before HEAD; its git tag, where tags were fetched)
#      is taken from git into .local/upgrade/old and installed with demo data and Dutch, as its run.sh did;
#   2. served with its cron and a local SMTP sink: reports posted through the stable public interface
#      (POST /qr/<token>) and every queued e-mail sent (work orders with their PDF, confirmations, ratings);
#   3. snapshot: record counts of the business models, every XML id of our addons and helpdesk_mgmt, every
#      token (stickers, tickets, work orders, ratings, complaints, visits), and what every sticker URL, token
#      page and link in the sent e-mails answers (status, redirect, content type, the report form);
#   4. `odoo -u <the installed addons> -i <addons new in this checkout>`, on one node, no ERROR in its log;
#   5. the same snapshot with this checkout's code, compared (scripts/upgrade_check.py compare).
#   scripts/upgrade-test.sh [RELEASE]   a release name or commit (default: the last one in RELEASES before HEAD)
#   KH_UPGRADE_DB (default klusheeren_upgrade)   KH_HTTP_PORT (default 8069)   KH_SMTP_PORT (default port + 10000)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${KH_UPGRADE_DB:-klusheeren_upgrade}"
PORT="${KH_HTTP_PORT:-8069}"
SMTP_PORT="${KH_SMTP_PORT:-$((PORT + 10000))}"
BASE="http://127.0.0.1:$PORT"
WORK="$LOCAL/upgrade"
OLD="$WORK/old"
CHECK=("$PY" "$ROOT/scripts/upgrade_check.py")
t0=$(date +%s)

# --- the release to upgrade from ----------------------------------------------------------------------
head=$(git -C "$ROOT" rev-parse HEAD)
from=""
if [ -n "${1:-}" ]; then
    from=$(awk -v r="$1" '$1 == r { print $2 }' "$ROOT/RELEASES")
    from=$(git -C "$ROOT" rev-parse --verify -q "${from:-$1}^{commit}") || die "no release or commit $1"
else
    while read -r name commit _; do
        case "$name" in ''|'#'*) continue ;; esac
        [ "$commit" = "$head" ] && continue
        git -C "$ROOT" merge-base --is-ancestor "$commit" HEAD 2>/dev/null && { from=$commit; release=$name; }
    done < "$ROOT/RELEASES"
    [ -n "$from" ] || die "no release of RELEASES is in this checkout's history (a shallow clone? fetch the history)"
fi
say "Upgrade test: release ${release:-$1} ($(git -C "$ROOT" log -1 --format='%h %cs' "$from")) -> this checkout ($(git -C "$ROOT" log -1 --format='%h' HEAD))"

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
rm -rf "$WORK"; mkdir -p "$OLD" "$WORK/before" "$WORK/after" "$WORK/mail"/{tmp,new,cur}
git -C "$ROOT" archive "$from" addons scripts/lib.sh | tar -x -C "$OLD"
old_addons=$(sed -nE 's/^ADDONS="\$\{KH_ADDONS:-([a-z_,]+)\}".*/\1/p' "$OLD/scripts/lib.sh")
[ -n "$old_addons" ] || die "no ADDONS list in the release's scripts/lib.sh"
conf=$(odoo_conf)
old_conf="$WORK/odoo-old.conf"
sed -E "s#^addons_path = (.*)$ROOT/addons\$#addons_path = \1$OLD/addons#" "$conf" > "$old_conf"
grep -q "$OLD/addons" "$old_conf" || die "could not point $old_conf at the release's addons"

q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1"; }
psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"$DB\"" >/dev/null
rm -rf "$LOCAL/data/filestore/$DB"

# --- 1. the previous release, installed as it installed itself ----------------------------------------
say "Installing the release's addons ($old_addons) with demo data into $DB"
"$PY" -m odoo -c "$old_conf" -d "$DB" -i "$old_addons" --with-demo --load-language=nl_NL,en_US \
    --stop-after-init --log-level=warn --logfile="$WORK/install-old.log" \
    || die "installing the release failed; see ${WORK#$ROOT/}/install-old.log"
q "update ir_config_parameter set value = '$BASE' where key = 'web.base.url'" >/dev/null

serve() {  # serve CONF LOG EXTRA...: Odoo in the background, until it answers
    local c=$1 log=$2
    shift 2
    ! curl -s -o /dev/null "$BASE/" 2>/dev/null || die "port $PORT is in use by another server: set KH_HTTP_PORT"
    "$PY" -m odoo -c "$c" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=info \
        --smtp=127.0.0.1 --smtp-port="$SMTP_PORT" --logfile="$log" "$@" &
    server=$!
    for _i in $(seq 1 90); do
        curl -fsS -o /dev/null "$BASE/web/health" 2>/dev/null && return 0
        kill -0 "$server" 2>/dev/null || die "Odoo stopped; see $log"
        sleep 1
    done
    die "Odoo did not answer on $BASE; see $log"
}
stop_all() { kill "${server:-}" "${sink:-}" 2>/dev/null || true; wait 2>/dev/null || true; server=""; sink=""; }
trap stop_all EXIT

# --- 2. used as people use it: reports through the sticker, e-mails sent --------------------------------
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/mail" >"$WORK/smtp.log" 2>&1 &
sink=$!
serve "$old_conf" "$WORK/serve-old.log" --max-cron-threads=1
q "select token from klusheeren_sticker where state = 'bound' order by id" | python3 -c \
    'import json, sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))' > "$WORK/stickers.json"
KH_UPGRADE_TOKENS="$WORK/stickers.json" "${CHECK[@]}" seed "$BASE" || die "reporting through the release's /qr/<token> failed"
pending() {
    q "select (select count(*) from mail_mail where state = 'outgoing')
            + (select count(*) from klusheeren_work_order where mail_pending)
            + (select count(*) from helpdesk_ticket where klusheeren_ack_pending)" 2>/dev/null || echo '?'
}
for _i in $(seq 1 120); do
    [ "$(pending)" = 0 ] && break
    sleep 2
done
[ "$(pending)" = 0 ] || die "the release's e-mails did not leave within 240 s ($(pending) waiting)"
say "Release in use: $(find "$WORK/mail/new" -type f | wc -l) e-mails sent, $(q "select count(*) from helpdesk_ticket") tickets"

# --- 3. what works before the upgrade -----------------------------------------------------------------
KH_UPGRADE_SNAPSHOT="$WORK/before/snapshot.json" "$PY" -m odoo shell -c "$old_conf" -d "$DB" --no-http \
    --log-level=warn < "$ROOT/scripts/upgrade_check.py"
"${CHECK[@]}" links "$WORK/mail" "$BASE" "$WORK/links.json"
"${CHECK[@]}" http "$BASE" "$WORK/before/snapshot.json" "$WORK/links.json" "$WORK/before/http.json"
stop_all

# --- 4. the upgrade, on one node -------------------------------------------------------------------------
installed=$(q "select string_agg(name, ',' order by name) from ir_module_module
               where state = 'installed' and (name like 'klusheeren%' or name = 'helpdesk_mgmt')")
IFS=, read -r -a wanted <<<"$ADDONS"
new=()
for a in "${wanted[@]}"; do [[ ",$installed," == *",$a,"* ]] || new+=("$a"); done
say "Upgrading $installed${new[*]:+; installing the new ${new[*]}}"
step=$(date +%s)
"$PY" -m odoo -c "$conf" -d "$DB" -u "$installed" ${new[*]:+-i "$(IFS=,; echo "${new[*]}")"} --stop-after-init \
    --log-level=info --logfile="$WORK/upgrade.log" || die "the upgrade failed; see ${WORK#$ROOT/}/upgrade.log"
say "Upgraded in $(( $(date +%s) - step )) s"
problems=()
bad=$(log_errors "$WORK/upgrade.log")
if [ -n "$bad" ]; then
    printf '%s\n' "$bad" | cut -c1-300 | head -20 >&2
    problems+=("the upgrade's log holds errors (${WORK#$ROOT/}/upgrade.log)")
fi
not_installed=$(q "select string_agg(name, ', ') from ir_module_module
                   where name in ($(printf "'%s'," "${wanted[@]}" | sed 's/,$//')) and state != 'installed'")
[ -z "$not_installed" ] || problems+=("not installed after the upgrade: $not_installed")

# --- 5. the same, with this checkout ------------------------------------------------------------------------
KH_UPGRADE_SNAPSHOT="$WORK/after/snapshot.json" "$PY" -m odoo shell -c "$conf" -d "$DB" --no-http \
    --log-level=warn < "$ROOT/scripts/upgrade_check.py"
serve "$conf" "$WORK/serve-new.log" --max-cron-threads=0
"${CHECK[@]}" http "$BASE" "$WORK/before/snapshot.json" "$WORK/links.json" "$WORK/after/http.json"
stop_all
"${CHECK[@]}" compare "$WORK/before" "$WORK/after" || problems+=("records, XML ids, tokens or links differ (above)")
for log in serve-old.log serve-new.log; do
    bad=$(log_errors "$WORK/$log")
    [ -z "$bad" ] || { printf '%s\n' "$bad" | cut -c1-300 | head -10 >&2; problems+=("${WORK#$ROOT/}/$log holds errors"); }
done
if [ ${#problems[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${problems[@]}" >&2
    exit 1
fi
say "Upgrade from ${release:-$1} holds: every record, XML id, token, sticker URL and e-mail link as before ($(( $(date +%s) - t0 )) s)"
