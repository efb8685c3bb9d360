#!/bin/bash
# Run once by the postgres image when it creates the cluster (an empty volume).
# 1. the database of the HTTP sessions of every Odoo node (OCA session_db; SESSION_DB_URI in docker-compose.yml);
# 2. when REPLICATION_PASSWORD is set, the role the optional read replica streams with
#    (docker-compose.replica.yml) and the pg_hba.conf line that lets it in.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE DATABASE "${ODOO_SESSION_DB:-klusheeren_sessions}" OWNER "$POSTGRES_USER";
SQL
if [ -n "${REPLICATION_PASSWORD:-}" ]; then
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        --set=pw="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SQL
    echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
