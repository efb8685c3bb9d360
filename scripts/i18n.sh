#!/usr/bin/env bash
# i18n/<addon>.pot of every addon, exported by Odoo (`odoo i18n export -l pot`) from a database that has the
# addons installed: the test database when `make test` left one, else a database `klusheeren_i18n` made for it.
# The Dutch translations stay in i18n/nl.po (tests/test_translations.py checks that each term has one).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start >/dev/null
conf=$(odoo_conf)
DB="${KH_I18N_DB:-}"
if [ -z "$DB" ]; then
    for candidate in klusheeren_test klusheeren_i18n; do
        if [ "$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$candidate'")" = 1 ]; then
            DB=$candidate
            break
        fi
    done
fi
if [ -z "$DB" ]; then
    DB=klusheeren_i18n
    say "Installing $ADDONS into $DB (no demo data)"
    "$PY" -m odoo -c "$conf" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn
fi
say "Updating $ADDONS in $DB"
"$PY" -m odoo -c "$conf" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn
say "Exporting i18n/<addon>.pot"
# shellcheck disable=SC2046
"$PY" -m odoo i18n export -c "$conf" -d "$DB" $(tr "," " " <<<"$ADDONS") -l pot
