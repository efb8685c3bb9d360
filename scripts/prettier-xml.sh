#!/usr/bin/env bash
# prettier with its XML plugin, for the pre-commit hook `prettier`: prettier 3 looks for a plugin named in
# .prettierrc.yml beside the files, not in the hook's own environment, so the plugin is given by its path there.
set -euo pipefail
plugin="$(npm root -g)/@prettier/plugin-xml/src/plugin.js"
exec prettier --plugin="$plugin" "$@"
