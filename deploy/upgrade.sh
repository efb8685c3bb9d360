#!/usr/bin/env bash
# First install and upgrades of the production compose (docker-compose.yml), one node at a time:
# every Odoo node stops (the proxy shows deploy/nginx/html/maintenance.html meanwhile), ONE one-off node runs
# the install or `-u` against the database, the web and cron nodes start again on the new image.
# Running `-u` while other nodes serve requests would let them run old code on a new schema.
#   deploy/upgrade.sh --init        first install: database, the addons, Dutch
#   deploy/upgrade.sh               upgrade: backup, then -u of the KlusHeeren addons and helpdesk_mgmt
#   KH_UPGRADE_MODULES=all deploy/upgrade.sh    upgrade every installed module (after an Odoo image update)
#   COMPOSE="docker compose -f docker-compose.yml -f docker-compose.replica.yml" deploy/upgrade.sh
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a COMPOSE <<< "${COMPOSE:-docker compose}"
DB="${ODOO_DB:-klusheeren}"
# every addon of the product: updated where installed, installed where new (scripts/lib.sh's list;
# scripts/upgrade-test.sh proves an upgrade from the last release keeps stickers and e-mail links working)
ADDONS="klusheeren_base,klusheeren_mail_queue,klusheeren_equipment,klusheeren_helpdesk,klusheeren_portal,klusheeren_rating,klusheeren_sms,klusheeren_visit,klusheeren_recurring,klusheeren_finance,klusheeren_purchase,klusheeren_privacy,klusheeren_selfhelp,klusheeren_sla"
MODULES="${KH_UPGRADE_MODULES:-helpdesk_mgmt,$ADDONS}"
[ -f .env ] || { echo "no .env: write POSTGRES_PASSWORD=... into .env first (README.md)" >&2; exit 1; }

"${COMPOSE[@]}" build
"${COMPOSE[@]}" up -d db pgbouncer proxy
echo "==> stopping every Odoo node (the proxy answers with the maintenance page)"
"${COMPOSE[@]}" stop web cron
one_node() { "${COMPOSE[@]}" run --rm --no-deps web odoo --database="$DB" --db-filter="^$DB\$" \
    --workers=0 --max-cron-threads=0 --no-http --stop-after-init "$@"; }
if [ "${1:-}" = "--init" ]; then
    echo "==> installing the addons into $DB"
    one_node -i "$ADDONS" --load-language=nl_NL
else
    mkdir -p backups
    dump="backups/$DB-$(date +%Y%m%d-%H%M%S).dump"
    echo "==> backup of $DB to $dump"
    "${COMPOSE[@]}" exec -T db sh -c 'pg_dump -U "$POSTGRES_USER" -Fc "$1"' sh "$DB" > "$dump"
    echo "==> upgrading $MODULES in $DB (one node)"
    # -u updates what is installed; -i installs the addons that are new in this release (no-op for the others):
    # from release 2026.12.1, klusheeren_base, whose pre-init hook first takes over the groups' XML ids (hooks.py)
    one_node -u "$MODULES" -i "$ADDONS"
fi
echo "==> starting the web and cron nodes"
"${COMPOSE[@]}" up -d --wait web cron proxy
"${COMPOSE[@]}" exec -T proxy nginx -s reload   # the web nodes' new addresses
"${COMPOSE[@]}" ps
