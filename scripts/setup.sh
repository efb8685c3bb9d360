#!/usr/bin/env bash
# Installs what is missing for running and testing the addons; safe to run again, fast when nothing changed.
#   1. system packages: PostgreSQL server, wkhtmltopdf, Chromium (Debian/Ubuntu, as root)
#   2. Odoo 19.0 source, found in this order:
#        a. ODOO_SRC=/path/to/an/odoo-19.0/checkout;
#        b. the Odoo an earlier run installed into .venv: reused as it is;
#        c. the checkout of an `odoo` 19.0 importable by $PYTHON (default python3), e.g. `pip install -e`;
#        d. the official source, cloned into .cache/odoo from github.com/odoo/odoo (branch 19.0).
#   3. a self-contained virtualenv .venv (it does NOT see the machine's site-packages): Odoo installed
#      into it (`pip install -e <checkout>` with the checkout's requirements.txt), then
#      requirements-dev.txt, every install pinned by requirements-constraints.txt
#   4. .local/odoo.conf for the local PostgreSQL cluster
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON="${PYTHON:-python3}"
ODOO_GIT="${ODOO_GIT:-https://github.com/odoo/odoo.git}"

# --- 1. system packages ---------------------------------------------------------------
missing=()
pg_bindir >/dev/null || missing+=(postgresql)
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v chromium >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then missing+=(postgresql); fi

odoo_ok() { "$1" - <<'EOF' 2>/dev/null
import odoo.release as r
raise SystemExit(0 if r.version_info[:2] == (19, 0) else 1)
EOF
}
# the checkout Odoo runs from (odoo.release is in it; the `odoo` namespace also spans the addons from PyPI)
odoo_root() { "$1" -c 'import os, odoo.release as r; print(os.path.dirname(os.path.dirname(r.__file__)))'; }
# a checkout pip can install (`pip install -e`), not an unpacked wheel
odoo_checkout() { [ -f "$1/odoo/release.py" ] && { [ -f "$1/setup.py" ] || [ -f "$1/pyproject.toml" ]; }; }
# a .venv of an older setup.sh saw the machine's site-packages: it is made again
venv_isolated() { [ -x "$PY" ] && grep -qi '^include-system-site-packages *= *false' "$VENV/pyvenv.cfg" 2>/dev/null; }
odoo_src=""
reuse=""
if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo checkout (no odoo/release.py)."
    odoo_src=$(cd "$ODOO_SRC" && pwd)
elif venv_isolated && odoo_ok "$PY"; then
    # installed by an earlier run (ODOO_SRC=..., the machine's checkout or the clone): reused as it is
    odoo_src=$(cd "$(odoo_root "$PY")" && pwd)
    reuse=1
    say "Odoo 19.0 is installed in .venv (from $odoo_src)"
elif odoo_ok "$PYTHON"; then
    odoo_src=$(cd "$(odoo_root "$PYTHON")" && pwd)
    odoo_checkout "$odoo_src" \
        || die "$PYTHON imports Odoo 19.0 from $odoo_src, which is not a checkout pip can install into .venv: set ODOO_SRC=/path/to/odoo-19.0."
    say "Odoo 19.0 is importable by $PYTHON (from $odoo_src): installing it into .venv"
else
    odoo_src="$ROOT/.cache/odoo"
fi
if [ -n "$odoo_src" ] && [ -z "$reuse" ]; then
    # building Odoo's pinned requirements needs headers
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev libsasl2-dev)
    command -v git >/dev/null || missing+=(git)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        die "Missing system packages: ${missing[*]}. Install them with your package manager (as root), then run this again."
    fi
fi

if [ "$odoo_src" = "$ROOT/.cache/odoo" ] && [ ! -f "$odoo_src/odoo/release.py" ]; then
    say "Fetching the official Odoo 19.0 source into .cache/odoo"
    mkdir -p "$ROOT/.cache"
    if ! git clone -q --depth 1 --branch 19.0 "$ODOO_GIT" "$odoo_src.part" 2>"$LOCAL/git-clone.log"; then
        rm -rf "$odoo_src.part"
        die "Odoo 19.0 not found: install it for $PYTHON (pip install -e /path/to/odoo-19.0), or set ODOO_SRC=/path/to/odoo-19.0, or allow this machine to reach $ODOO_GIT."
    fi
    mv "$odoo_src.part" "$odoo_src"
fi

# --- 3. virtualenv ------------------------------------------------------------------------
if [ -d "$VENV" ] && ! venv_isolated; then
    say "Making .venv again: self-contained (it saw the machine's site-packages)"
    rm -rf "$VENV"
fi
if [ ! -x "$PY" ]; then
    say "Creating .venv"
    "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.klusheeren-requirements"
want=$(cat "$ROOT"/requirements*.txt "$odoo_src/requirements.txt"; echo "$odoo_src")
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    pip_install() { "$PY" -m pip install -q --disable-pip-version-check -c "$ROOT/requirements-constraints.txt" "$@"; }
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    say "Installing Odoo from $odoo_src into .venv"
    pip_install -r "$odoo_src/requirements.txt"
    pip_install --no-deps -e "$odoo_src"
    say "Installing requirements-dev.txt into .venv"
    pip_install -r "$ROOT/requirements-dev.txt"
    "$PY" -m pip check >/dev/null || "$PY" -m pip check >&2 || true
    printf '%s' "$want" > "$stamp"
fi
odoo_ok "$PY" || die "Odoo 19.0 is still not importable from .venv; see the messages above."

# --- 4. local configuration ------------------------------------------------------------
odoo_dir=$(odoo_root "$PY")
addons_path="$ROOT/addons"
[ -d "$odoo_dir/addons" ] && addons_path="$odoo_dir/addons,$addons_path"
# written whole and then moved: a run started beside this one never reads a half-written file
cat > "$(odoo_conf).tmp.$$" <<EOF
; generated by scripts/setup.sh for the project-local PostgreSQL cluster; do not edit
[options]
addons_path = $addons_path
data_dir = $LOCAL/data
db_host = $PGSOCK
db_port = $PGPORT
db_user = $DB_USER
http_interface = 127.0.0.1
http_port = ${KH_HTTP_PORT:-8069}
limit_time_cpu = 600
limit_time_real = 1200
EOF
mv -f "$(odoo_conf).tmp.$$" "$(odoo_conf)"
say "Setup complete"
