#!/usr/bin/env bash
# The multi-node proof on loopback (issue 15): two Odoo nodes against one PostgreSQL (the project's own
# cluster) through PgBouncer, one filestore, sessions in PostgreSQL (OCA session_db), nginx in front,
# configured from the production templates in deploy/. bench/multinode.py runs the checks and the
# throughput comparison; README.md, "Running on several machines", has the figures.
#   KH_MN_PORT (8470: uses 8470-8479)  KH_MN_DB (klusheeren_bench_mn)  KH_MN_TICKETS (1000)
#   KH_MN_WORKERS (2 per node)  KH_BENCH_FRESH=1 (reinstall the database)
#   extra arguments go to bench/multinode.py (python bench/multinode.py --help)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DB="${KH_MN_DB:-klusheeren_bench_mn}"
OUT="$LOCAL/multinode"
mkdir -p "$OUT"
source "$ROOT/bench/lib.sh"

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "bench/multinode.sh needs ${missing[*]} (Debian packages): install them as root"
    fi
fi

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
bench_install_db "$DB" "$OUT"
bench_seed "$DB" "$OUT" "${KH_MN_TICKETS:-1000}"
# the sessions database of OCA session_db (its table is created by the first node that starts)
psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"${DB}_sessions\"" >/dev/null
psql_local -U "$DB_USER" -d postgres -c "create database \"${DB}_sessions\"" >/dev/null

exec "$PY" "$ROOT/bench/multinode.py" --root "$ROOT" --db "$DB" --session-db "${DB}_sessions" \
    --pg-socket "$PGSOCK" --pg-port "$PGPORT" --db-user "$DB_USER" --odoo-conf "$(odoo_conf)" \
    --out "$OUT" --base-port "${KH_MN_PORT:-8470}" --workers "${KH_MN_WORKERS:-2}" \
    --qr "$QR_PATH" --wo "$WO_PATH" --baseline "$BASELINE_PATH" "$@"
