#!/usr/bin/env bash
# OCA's checks over the whole repository (.pre-commit-config.yaml): ruff (lint + format), pylint-odoo's mandatory
# checks, prettier for XML, README.rst generated from readme/, whitespace. pre-commit installs each tool from PyPI or
# the npm registry into its cache (~/.cache/pre-commit) on the first run. Fails when a check fails or a hook had
# to change a file (the diff is shown).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
if ! command -v node >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Node.js (prettier)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    else
        die "prettier needs Node.js and npm: install them, then run this again."
    fi
fi
bash "$ROOT/scripts/setup.sh" >/dev/null
"$PY" -m pre_commit --version >/dev/null 2>&1 || "$PY" -m pip install -q --disable-pip-version-check pre-commit
say "pre-commit run --all-files"
"$PY" -m pre_commit run --all-files --show-diff-on-failure --color=never "$@"
