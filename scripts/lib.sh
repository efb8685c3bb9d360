# Shared settings of the project's scripts; sourced, never run.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"            # everything a run creates (ignored by git)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGDATA="$LOCAL/pgdata"
PGSOCK="$LOCAL/pgsock"
PGPORT="${KH_PGPORT:-54329}"    # only names the socket file: the cluster listens on no TCP port
DB_USER="klusheeren"
ADDONS="${KH_ADDONS:-klusheeren_base,klusheeren_mail_queue,klusheeren_equipment,klusheeren_helpdesk,klusheeren_portal,klusheeren_rating,klusheeren_sms,klusheeren_visit,klusheeren_recurring,klusheeren_finance,klusheeren_purchase,klusheeren_privacy,klusheeren_selfhelp,klusheeren_sla}"
mkdir -p "$LOCAL"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# The PostgreSQL server binaries (Debian keeps them outside PATH).
pg_bindir() {
    local d
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    return 1
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_local() { "$(pg_bindir)/psql" -h "$PGSOCK" -p "$PGPORT" -X -q "$@"; }

odoo_conf() { echo "$LOCAL/odoo.conf"; }

# The lines of Odoo logs that fail a run, as OCA's CI judges it: ERROR, CRITICAL, or a traceback at any
# level or printed without a log prefix (a server's captured stdout/stderr, where a subprocess such as the
# websocket process of prefork mode prints it). One or more files; missing files are skipped.
LOG_ERROR_RE='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
log_errors() {
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        { grep -nE "$LOG_ERROR_RE|Traceback \(most recent call last\)" "$f" || true; } | sed "s|^|${f##*/}:|"
    done
}
# "N ERROR/CRITICAL line(s), M traceback(s)" in the same files: tracebacks are counted, not only ERROR lines
log_error_counts() {
    local e=0 t=0 f
    for f in "$@"; do
        [ -f "$f" ] || continue
        e=$((e + $(grep -cE "$LOG_ERROR_RE" "$f" || true)))
        t=$((t + $(grep -c 'Traceback (most recent call last)' "$f" || true)))
    done
    echo "$e ERROR/CRITICAL line(s), $t traceback(s)"
}

# Creates database $1 with the addons $3 (comma-separated) and their demo data, as an operator of setting $2
# installs it; the Odoo log goes to $4, further arguments to the installing run (e.g. --test-enable).
#   nl  a Dutch operator: `odoo db init --language nl_NL --country NL` first, so that the main company is
#       Dutch (EUR, Europe/Amsterdam for its users) before `account` installs; then `account`, for which
#       Odoo picks the Dutch chart of accounts itself (l10n_nl installs with it, as the company is Dutch,
#       and its chart is loaded on the company); then the addons with English loaded beside Dutch. The
#       demo makes Dutch the website's default language (its admin speaks Dutch).
#       `account` installs without its demo data: that would load Odoo's generic US-dollar chart with demo
#       invoices onto the main company whatever its country (account/demo/account_demo.xml), and l10n_nl's
#       a second company "NL Company". Odoo loads a module's demo data only when all its dependencies
#       have theirs, so one of them (digest) is marked as without for that run, and everything as with
#       after it: the addons that build on accounting (purchase, ours) then install their demo data.
#   en  English only, as OCA's CI installs: the addons straight into a new database, no language loaded.
create_db() {
    local db=$1 setting=$2 addons=$3 log=$4; shift 4
    local conf; conf=$(odoo_conf)
    case "$setting" in
        nl)
            "$PY" -m odoo db -c "$conf" init "$db" --with-demo --language nl_NL --country NL >>"$log" 2>&1 \
                || return 1
            "$PY" -m odoo -c "$conf" -d "$db" -i digest --stop-after-init --log-level=warn --logfile="$log" \
                || return 1
            psql_local -U "$DB_USER" -d "$db" -c "update ir_module_module set demo = false where name = 'digest'" \
                >/dev/null || return 1
            "$PY" -m odoo -c "$conf" -d "$db" -i account --stop-after-init --log-level=warn --logfile="$log" \
                || return 1
            psql_local -U "$DB_USER" -d "$db" -c "update ir_module_module set demo = true where state = 'installed'" \
                >/dev/null || return 1
            "$PY" -m odoo -c "$conf" -d "$db" -i "$addons" --with-demo --load-language=en_US "$@" \
                --stop-after-init --logfile="$log" || return 1
            # l10n_nl brings base_vat, whose job asks Odoo's IAP service about VAT numbers every 3 hours: a
            # local demo or test database calls no outside service (and these machines reach none; the job
            # logs an ERROR then). A production database (deploy/) keeps it.
            psql_local -U "$DB_USER" -d "$db" -c "update ir_cron set active = false where id in (select res_id
                from ir_model_data where module = 'base_vat' and name = 'vies_iap_check_update')" >/dev/null
            ;;
        en)
            "$PY" -m odoo -c "$conf" -d "$db" -i "$addons" --with-demo "$@" --stop-after-init --logfile="$log"
            ;;
        *) die "unknown setting '$setting' (nl or en)" ;;
    esac
}
