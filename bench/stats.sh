#!/usr/bin/env bash
# Statistics and export benchmark (issue 13): a database with 1,000,000 tickets bulk-loaded with SQL,
# then bench/stats.py times the refresh of the statistics, the pivots and the export of 10,000 work
# orders with lines. Results in .local/bench/stats.out.
#   KH_STATS_TICKETS (1000000)  KH_STATS_EXPORT (10000)  KH_STATS_DB (klusheeren_statsbench)
#   KH_BENCH_FRESH=1 (drop and reinstall the database)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
OUT="$LOCAL/bench"
mkdir -p "$OUT"
bench_shell "${KH_STATS_DB:-klusheeren_statsbench}" "$OUT" stats
