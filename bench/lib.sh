# Shared steps of the benchmarks (bench/run.sh, bench/multinode.sh, bench/stats.sh, bench/sla.sh); sourced after
# scripts/lib.sh.
# shellcheck shell=bash

ODOO=("$PY" "$ROOT/bench/odoo_launcher.py")   # not `python -m odoo`: see bench/odoo_launcher.py

bench_q() { psql_local -U "$DB_USER" -d "$1" -tAF ' ' -c "$2"; }

bench_drop_db() {
    psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"$1\"" >/dev/null
    rm -rf "$LOCAL/data/filestore/$1"
}

# bench_install_db DB OUT: the four addons with demo data and Dutch in DB, once (reused while complete;
# KH_BENCH_FRESH=1 reinstalls). Logs in OUT/install.log.
bench_install_db() {
    local db=$1 out=$2 exists
    case "$db" in *bench*) ;; *) die "a benchmark database name contains 'bench', not $db" ;; esac
    exists=$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$db'")
    if [ "$exists" = 1 ] && { [ "${KH_BENCH_FRESH:-0}" = 1 ] || \
            [ "$(bench_q "$db" "select count(*) from ir_module_module where name in ('klusheeren_equipment','klusheeren_helpdesk','klusheeren_portal','klusheeren_rating') and state='installed' and demo")" != 4 ]; }; then
        say "Dropping $db (fresh install asked, or an incomplete install)"
        bench_drop_db "$db"; exists=""
    fi
    if [ "$exists" != 1 ]; then
        say "Installing the addons with demo data into $db"
        : > "$out/install.log"
        "${ODOO[@]}" -c "$(odoo_conf)" -d "$db" -i "$ADDONS" --with-demo --load-language=nl_NL,en_US --stop-after-init \
            --log-level=warn --logfile="$out/install.log" || { bench_drop_db "$db"; die "install failed, see $out/install.log"; }
        # Odoo carries on (exit 0) when demo data fails to load: a benchmark on such a database means nothing
        if grep -qE " (ERROR|CRITICAL) |failed to install" "$out/install.log"; then
            bench_drop_db "$db"; die "install of $db logged errors, see $out/install.log"
        fi
    fi
}

# bench_shell DB OUT NAME: the addons without demo data in DB, once (KH_BENCH_FRESH=1 reinstalls), then
# bench/NAME.py in `odoo shell` against it, its output also in OUT/NAME.out; returns its exit code.
# (bench/stats.sh, bench/sla.sh: they bulk-load their own data with SQL.)
bench_shell() {
    local db=$1 out=$2 name=$3 conf
    case "$db" in *bench*) ;; *) die "a benchmark database name contains 'bench', not $db" ;; esac
    bash "$ROOT/scripts/setup.sh" >/dev/null
    bash "$ROOT/scripts/pg.sh" start
    conf=$(odoo_conf)
    if [ "${KH_BENCH_FRESH:-0}" = 1 ]; then
        bench_drop_db "$db"
    fi
    if [ "$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$db'")" != 1 ]; then
        say "Installing $ADDONS (no demo data) into $db"
        "$PY" -m odoo -c "$conf" -d "$db" -i "$ADDONS" --stop-after-init --log-level=warn \
            --logfile="$out/$name-install.log" || die "install failed, see $out/$name-install.log"
    fi
    say "Loading and measuring (bench/$name.py)"
    "$PY" -m odoo shell -c "$conf" -d "$db" --no-http --log-level=warn --logfile="$out/$name.log" \
        < "$ROOT/bench/$name.py" 2>&1 | tee "$out/$name.out"
    return "${PIPESTATUS[0]}"
}

# bench_seed DB OUT TICKETS: bench/seed.py up to TICKETS tickets; sets TICKETS, CREATED, QR_PATH, WO_PATH,
# BASELINE_PATH and SEED_SECONDS.
bench_seed() {
    local db=$1 out=$2 start
    say "Seeding up to $3 tickets"
    start=$(date +%s.%N)
    : > "$out/seed.log"
    KH_BENCH_TICKETS=$3 "${ODOO[@]}" shell -c "$(odoo_conf)" -d "$db" --no-http --log-level=warn \
        --logfile="$out/seed.log" < "$ROOT/bench/seed.py" > "$out/seed.out" \
        || die "seeding failed, see $out/seed.out and $out/seed.log"
    grep -q '^BASELINE_PATH=' "$out/seed.out" || die "seeding failed, see $out/seed.out and $out/seed.log"
    SEED_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
    grep -E '^seeded|^SEED_' "$out/seed.out" | tail -n 3
    eval "$(grep -E '^(TICKETS|CREATED|QR_PATH|WO_PATH|BASELINE_PATH)=' "$out/seed.out" | sed 's/=\(.*\)/="\1"/')"
    say "$TICKETS tickets in $db ($CREATED created now; seed step $(printf %.1f "$SEED_SECONDS") s including Odoo start)"
    [ "$TICKETS" -ge "$3" ] || die "only $TICKETS tickets in $db"
}
