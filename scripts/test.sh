#!/usr/bin/env bash
# Runs the test suite against a fresh database, the way OCA's CI judges addons:
# every test passes, nothing is skipped, and the Odoo log holds no ERROR nor traceback.
#   scripts/test.sh                      all addons + the end-to-end tests in tests/
#   scripts/test.sh klusheeren_equipment only that addon (and what it depends on)
#   KH_TEST_LANG=nl  (default) the database a Dutch operator installs: Dutch loaded and the website's default
#                    language, the company in the Netherlands with EUR and the Dutch chart of accounts, A4,
#                    Europe/Amsterdam for the users (`odoo db init --language nl_NL --country NL`, lib.sh)
#   KH_TEST_LANG=en  English only, as OCA's CI installs (no language loaded, the website in English)
#   KH_TEST_DB=name  database name (default klusheeren_test, klusheeren_test_en for KH_TEST_LANG=en);
#   KH_KEEP_DB=1     reuses an installed database (updates the addons instead)
#   extra pytest arguments after --, e.g. scripts/test.sh klusheeren_helpdesk -- -k work_order
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

addons=()
pytest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --) shift; pytest_args=("$@"); break ;;
        *) addons+=("$1"); shift ;;
    esac
done
paths=()
if [ ${#addons[@]} -eq 0 ]; then
    IFS=, read -r -a addons <<<"$ADDONS"
    paths+=("$ROOT/tests")
fi
for a in "${addons[@]}"; do
    [ -d "$ROOT/addons/$a" ] || die "no addon $a in addons/"
    paths=("$ROOT/addons/$a/tests" "${paths[@]}")
done
install=$(IFS=,; echo "${addons[*]}")

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start

# Browser tests are skipped by Odoo, silently, without Chromium or websocket-client: refuse to run then.
command -v chromium >/dev/null || command -v google-chrome >/dev/null \
    || die "Chromium is not installed: the browser tours would be skipped."
"$PY" -c 'import websocket' 2>/dev/null || die "websocket-client is not importable: the browser tours would be skipped."

SETTING="${KH_TEST_LANG:-nl}"
case "$SETTING" in
    nl) DB="${KH_TEST_DB:-klusheeren_test}" ;;
    en) DB="${KH_TEST_DB:-klusheeren_test_en}" ;;
    *) die "KH_TEST_LANG must be nl or en, not '$SETTING'" ;;
esac
LOGDIR="$LOCAL/test-logs/$DB"
rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
conf=$(odoo_conf)

exists=$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")
if [ "${KH_KEEP_DB:-0}" = 1 ] && [ "$exists" = 1 ]; then
    say "Updating $install in the existing database $DB"
    "$PY" -m odoo -c "$conf" -d "$DB" -u "$install" --stop-after-init --log-level=info \
        --logfile="$LOGDIR/install.log" || die "update failed; see $LOGDIR/install.log"
else
    if [ "$exists" = 1 ]; then
        psql_local -U "$DB_USER" -d postgres -c "drop database \"$DB\"" >/dev/null
        rm -rf "$LOCAL/data/filestore/$DB"
    fi
    say "Installing $install with demo data into a fresh database $DB (setting KH_TEST_LANG=$SETTING)"
    start=$(date +%s)
    create_db "$DB" "$SETTING" "$install" "$LOGDIR/install.log" --log-level=info \
        || die "installation failed; see $LOGDIR/install.log"
    say "Installed in $(( $(date +%s) - start )) s"
fi

say "Running the tests: ${paths[*]#$ROOT/}"
rc=0
( cd "$ROOT" && "$PY" -m pytest -p no:cacheprovider \
    --odoo-config="$conf" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=info --odoo-extra="logfile=$LOGDIR/tests.log" --odoo-extra="http-port=${KH_HTTP_PORT:-8069}" \
    --junitxml="$LOGDIR/junit.xml" -o junit_family=xunit2 \
    "${paths[@]}" "${pytest_args[@]}" ) || rc=$?

# Judge the run as OCA's CI does.
problems=()
[ "$rc" = 0 ] || problems+=("pytest exited with $rc")
skipped=$("$PY" - "$LOGDIR/junit.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("?"); raise SystemExit
suites = [root] if root.tag == "testsuite" else list(root)
print(sum(int(s.get("skipped", 0)) for s in suites))
EOF
)
[ "$skipped" = 0 ] || problems+=("$skipped test(s) skipped (a skipped browser tour is a failure here)")
for log in "$LOGDIR/install.log" "$LOGDIR/tests.log"; do
    [ -f "$log" ] || continue
    bad=$(log_errors "$log")
    if [ -n "$bad" ]; then
        problems+=("the Odoo log ${log#$ROOT/} holds errors:")
        printf '%s\n' "$bad" | cut -c1-300 | head -20 >&2
    fi
done
if [ ${#problems[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${problems[@]}" >&2
    exit 1
fi
say "All tests passed, none skipped, no error in the Odoo log ($LOGDIR)"
