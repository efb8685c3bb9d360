#!/usr/bin/env bash
# The project's own PostgreSQL cluster in .local/pgdata, reachable only through the
# Unix socket in .local/pgsock (no TCP port, no system configuration).
#   scripts/pg.sh start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bindir=$(pg_bindir) || die "PostgreSQL server binaries not found; run scripts/setup.sh first."

start() {
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "Creating the PostgreSQL cluster in .local/pgdata"
        mkdir -p "$PGDATA"
        [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
        as_pg "$bindir/initdb" -D "$PGDATA" -A trust -E UTF8 --locale=C.UTF-8 -U postgres >"$LOCAL/initdb.log"
    fi
    mkdir -p "$PGSOCK"
    [ "$(id -u)" = 0 ] && chown postgres "$PGSOCK" "$PGDATA"
    if ! as_pg "$bindir/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL (socket $PGSOCK)"
        touch "$LOCAL/postgresql.log"; [ "$(id -u)" = 0 ] && chown postgres "$LOCAL/postgresql.log"
        as_pg "$bindir/pg_ctl" -D "$PGDATA" -l "$LOCAL/postgresql.log" -w -t 60 start \
            -o "-c listen_addresses='' -k $PGSOCK -p $PGPORT -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
            || die "PostgreSQL did not start; see .local/postgresql.log"
    fi
    if [ "$(psql_local -U postgres -d postgres -tAc "select 1 from pg_roles where rolname='$DB_USER'")" != 1 ]; then
        psql_local -U postgres -d postgres -c "create role $DB_USER login createdb"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) as_pg "$bindir/pg_ctl" -D "$PGDATA" -m fast stop ;;
    status) as_pg "$bindir/pg_ctl" -D "$PGDATA" status ;;
    *) die "usage: scripts/pg.sh start|stop|status" ;;
esac
