#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, Debian's Chromium) on the public phone pages of the demo, as `make run`
# serves it and through the shipped nginx configuration (bench/pages.py; results in bench/README.md).
#   KH_HTTP_PORT   the demo's port (default 8069); a demo already answering there is used, else
#                  scripts/run.sh is started (and stopped at the end)
#   KH_PAGES_PROXY_PORT   nginx's port on 127.0.0.1 (default KH_HTTP_PORT + 400)
#   KH_PAGES_LABEL        a label printed above the tables ("before", "after")
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

DB="${KH_DB:-klusheeren}"
PORT="${KH_HTTP_PORT:-8069}"
BASE="http://127.0.0.1:$PORT"
OUT="$LOCAL/pages"
LH_DIR="$LOCAL/lighthouse"
LH_VERSION=12.2.3
mkdir -p "$OUT" "$LH_DIR"

[ -x /usr/bin/chromium ] || die "Debian's chromium is missing (apt-get install chromium)"
if [ "$(node -p "require('$LH_DIR/node_modules/lighthouse/package.json').version" 2>/dev/null)" != "$LH_VERSION" ]; then
    say "Installing lighthouse@$LH_VERSION from npm into $LH_DIR"
    (cd "$LH_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install --no-audit --no-fund --save-exact "lighthouse@$LH_VERSION" >/dev/null) \
        || die "npm install lighthouse@$LH_VERSION failed"
fi

started=""
cleanup() { [ -n "$started" ] && kill -- "-$started" 2>/dev/null; return 0; }
trap cleanup EXIT
if ! curl -fsS -o /dev/null "$BASE/web/health"; then
    say "Starting the demo (scripts/run.sh) on port $PORT"
    setsid bash "$ROOT/scripts/run.sh" > "$OUT/run.log" 2>&1 &
    started=$!
    for _ in $(seq 1 900); do curl -fsS -o /dev/null "$BASE/web/health" && break; sleep 1; done
    curl -fsS -o /dev/null "$BASE/web/health" || die "the demo did not start, see $OUT/run.log"
fi

q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1"; }
sticker=$(q "select token from klusheeren_sticker where state = 'bound' order by id limit 1")
free=$(q "select token from klusheeren_sticker where state = 'free' order by id limit 1")
wo=$(q "select id || '?access_token=' || access_token from klusheeren_work_order where access_token is not null and state in ('sent', 'accepted') order by id limit 1")
ticket=$(q "select id || '?access_token=' || access_token from helpdesk_ticket where access_token is not null and equipment_id is not null order by id limit 1")
rating=$(q "select id || '?access_token=' || access_token from klusheeren_rating where access_token is not null order by id limit 1" 2>/dev/null)
complaint=$(q "select id || '?access_token=' || access_token from klusheeren_complaint where access_token is not null order by id limit 1" 2>/dev/null)
visit=$(q "select id || '?access_token=' || access_token from klusheeren_visit where access_token is not null order by appointment_date desc limit 1" 2>/dev/null)
# through the model (odoo shell): the confirmation page of an e-mail button ("Accept", its link signed with the
# database secret) and the "me too" follower's own page (the link in each of their messages; one follower of an
# open report is added when the demo has none)
links=$("$PY" -m odoo shell -c "$(odoo_conf)" -d "$DB" --no-http --log-level=warn 2>/dev/null <<'PYEOF'
def path(url):
    return url[url.index("/", url.index("//") + 2):]
order = env["klusheeren.work.order"].search([("state", "=", "sent")], order="id", limit=1)
if order:
    print("ACTION_URL", path(order._klusheeren_action_url("accept")))
Subscriber = env["klusheeren.ticket.subscriber"].sudo()
follower = Subscriber.search([], order="id", limit=1)
ticket = env["helpdesk.ticket"].search([("equipment_id", "!=", False), ("stage_id.closed", "=", False)], limit=1)
if not follower and ticket:
    follower = Subscriber.create({"ticket_id": ticket.id, "email": "pages.bench@example.com", "lang": "nl_NL"})
    env.cr.commit()
if follower:
    print("FOLLOW_URL", path(follower._klusheeren_url()))
PYEOF
)
mail_action=$(printf '%s\n' "$links" | sed -n 's/^ACTION_URL //p')
follow=$(printf '%s\n' "$links" | sed -n 's/^FOLLOW_URL //p')

pages=$("$PY" - "$sticker" "$free" "$wo" "$ticket" "$rating" "$complaint" "$visit" "$follow" "$mail_action" <<'EOF'
import json, sys
sticker, free, wo, ticket, rating, complaint, visit, follow, mail_action = sys.argv[1:]
print(json.dumps({
    "QR report form": sticker and f"/qr/{sticker}",
    "free sticker": free and f"/qr/{free}",
    "work order (contractor)": wo and f"/my/work-orders/{wo}",
    "ticket (reporter)": ticket and f"/my/ticket/{ticket}",
    "rating": rating and f"/klusheeren/rating/{rating}",
    "complaint (contractor)": complaint and f"/klusheeren/complaint/{complaint}",
    "pre-visit": visit and f"/my/visits/{visit}",
    "follow (me too)": follow,
    "e-mail action (accept)": mail_action,
}))
EOF
)
"$PY" "$ROOT/bench/pages.py" --root "$ROOT" --base "$BASE" --proxy-port "${KH_PAGES_PROXY_PORT:-$((PORT + 400))}" \
    --lighthouse "$LH_DIR/node_modules/lighthouse/cli/index.js" --out "$OUT" --pages "$pages" \
    --label "${KH_PAGES_LABEL:-}"
