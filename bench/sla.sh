#!/usr/bin/env bash
# SLA benchmark (issue 25): a database with 100,000 open tickets and their work orders bulk-loaded with SQL,
# then bench/sla.py times the SLA job (klusheeren_sla: make, stop and pause the clocks, compute every
# deadline, warn and escalate) and a statistics pivot with the SLA-met share. Results in .local/bench/sla.out.
#   KH_SLA_TICKETS (100000)  KH_SLA_DB (klusheeren_slabench)  KH_BENCH_FRESH=1 (drop and reinstall the database)
# Not part of CI: run it by hand on a quiet machine.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
OUT="$LOCAL/bench"
mkdir -p "$OUT"
bench_shell "${KH_SLA_DB:-klusheeren_slabench}" "$OUT" sla
