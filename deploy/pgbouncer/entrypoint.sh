#!/bin/sh
# Writes PgBouncer's configuration from its template and the user list from the environment (the secrets
# come from .env through docker-compose.yml, never from a file in the repository), then runs PgBouncer.
set -eu
: "${DB_USER:?DB_USER is not set}"
: "${DB_PASSWORD:?DB_PASSWORD is not set}"
export PGB_DB="${PGB_DB:-klusheeren}" PGB_SESSION_DB="${PGB_SESSION_DB:-klusheeren_sessions}"
export PGB_UPSTREAM_HOST="${PGB_UPSTREAM_HOST:-db}" PGB_UPSTREAM_PORT="${PGB_UPSTREAM_PORT:-5432}"
export PGB_POOL_SIZE="${PGB_POOL_SIZE:-20}" PGB_SESSION_POOL_SIZE="${PGB_SESSION_POOL_SIZE:-5}"
export PGB_LISTEN_POOL_SIZE="${PGB_LISTEN_POOL_SIZE:-20}" PGB_MAX_CLIENT_CONN="${PGB_MAX_CLIENT_CONN:-1000}"
export PGB_LISTEN_ADDR="${PGB_LISTEN_ADDR:-0.0.0.0}" PGB_LISTEN_PORT="${PGB_LISTEN_PORT:-6432}"
export PGB_SOCKET_DIR=/run/pgbouncer PGB_AUTH_TYPE=scram-sha-256 PGB_AUTH_FILE=/run/pgbouncer/userlist.txt
export PGB_LOGFILE= PGB_PIDFILE= PGB_ADMIN_USER="$DB_USER"
umask 077
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$PGB_AUTH_FILE"
envsubst < /etc/pgbouncer/pgbouncer.ini.template > /run/pgbouncer/pgbouncer.ini
exec pgbouncer /run/pgbouncer/pgbouncer.ini
