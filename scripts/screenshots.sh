#!/usr/bin/env bash
# Refreshes docs/screenshots/*.png from the demo database (creates it like `make run` when missing):
# starts Odoo on a spare port, photographs the public pages at phone width and the back office with
# headless Chromium, and renders page 1 of the sticker sheet PDF.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="${KH_DB:-klusheeren}"
PORT="${KH_SHOT_PORT:-8068}"   # a spare port; several worktrees: give each its own
BASE="http://localhost:$PORT"
OUT="$ROOT/docs/screenshots"
mkdir -p "$OUT" "$LOCAL/shots"

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
if [ "$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")" != 1 ]; then
    die "no demo database $DB yet: run 'make run' once first"
fi
q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1"; }
sticker=$(q "select token from klusheeren_sticker where state = 'bound' order by id limit 1")
free=$(q "select token from klusheeren_sticker where state = 'free' order by id limit 1")
wo=$(q "select id || '?access_token=' || access_token from klusheeren_work_order where access_token is not null and state = 'accepted' order by id limit 1")
ticket=$(q "select t.id || '?access_token=' || t.access_token from helpdesk_ticket t join klusheeren_work_order w on w.ticket_id = t.id where t.access_token is not null and w.appointment_date is not null order by t.id limit 1")
rating=$(q "select id || '?access_token=' || access_token from klusheeren_rating where access_token is not null order by id limit 1")
complaint=$(q "select id || '?access_token=' || access_token from klusheeren_complaint where access_token is not null order by id limit 1")
visit=$(q "select id || '?access_token=' || access_token from klusheeren_visit where access_token is not null order by appointment_date desc limit 1")
visit_order=$(q "select work_order_id from klusheeren_visit where access_token is not null order by appointment_date desc limit 1")
done_wo=$(q "select w.id || '?access_token=' || w.access_token from klusheeren_work_order w where w.state = 'done' and exists (select 1 from klusheeren_work_order_line l where l.work_order_id = w.id) order by w.id limit 1")
batch=$(q "select id from klusheeren_finance_export where state = 'exported' order by id limit 1")
dashboard=$(q "select res_id from ir_model_data where module = 'klusheeren_finance' and name = 'spreadsheet_dashboard_tickets'")

"$PY" -m odoo -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-port=$PORT --workers=0 --log-level=warn \
    --logfile="$LOCAL/shots/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 90); do curl -fs "$BASE/web/health" >/dev/null 2>&1 && break; sleep 1; done

cat > "$LOCAL/shots/spec.json" <<JSON
[
 {"name": "01-qr-report-form", "path": "/qr/$sticker", "width": 390, "height": 844, "full": true},
 {"name": "02-qr-report-sent", "path": "/qr/$sticker", "width": 390, "height": 844, "full": true,
  "fill": {"textarea[name=description]": "De koffiemachine geeft foutmelding E12 en zet geen koffie meer.",
           "input[name=name]": "Douwe Demo", "input[name=email]": "douwe.demo@example.com",
           "input[name=phone]": "088-5550555"},
  "submit": "form button[type=submit]"},
 {"name": "03-contractor-work-order", "path": "/my/work-orders/$wo", "width": 390, "height": 844, "full": true, "max_height": 2600},
 {"name": "04-reporter-ticket", "path": "/my/ticket/$ticket", "width": 390, "height": 844, "full": true},
 {"name": "05-company-portal", "path": "/my/tickets", "login": "portal", "password": "portal", "width": 1280, "height": 760},
 {"name": "06-backoffice-work-orders", "path": "/odoo/action-klusheeren_helpdesk.action_work_order", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "07-backoffice-equipment", "path": "/odoo/action-maintenance.hr_equipment_action", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "08-free-sticker", "path": "/qr/$free", "width": 390, "height": 700},
 {"name": "10-rating", "path": "/klusheeren/rating/$rating", "width": 390, "height": 844, "full": true},
 {"name": "11-complaint-feedback", "path": "/klusheeren/complaint/$complaint", "width": 390, "height": 844, "full": true, "max_height": 2600},
 {"name": "12-contractor-scorecards", "path": "/odoo/action-klusheeren_rating.action_klusheeren_rating_report", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "13-pre-visit-page", "path": "/my/visits/$visit", "width": 390, "height": 844, "full": true, "max_height": 3200},
 {"name": "14-backoffice-checkin", "path": "/odoo/action-klusheeren_helpdesk.action_work_order/$visit_order", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 1400, "settle": 3,
  "click": "a[name=klusheeren_checkin]"},
 {"name": "15-company-request-form", "path": "/new/ticket", "login": "portal", "password": "portal", "width": 390, "height": 844, "full": true},
 {"name": "16-responsibility-rules", "path": "/odoo/action-klusheeren_helpdesk.action_responsibility", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "17-work-order-lines", "path": "/my/work-orders/$done_wo", "width": 390, "height": 844, "full": true, "max_height": 3200},
 {"name": "18-export-batch", "path": "/odoo/klusheeren-exports/$batch", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "19-statistics", "path": "/odoo/klusheeren-statistics", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "20-dashboard", "path": "/odoo/dashboards?dashboard_id=$dashboard", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 900, "settle": 5},
 {"name": "21-statistics-graph", "path": "/odoo/klusheeren-statistics?view_type=graph", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 760, "settle": 3},
 {"name": "22-contractor-statistics", "path": "/my/work-orders/statistics", "login": "contractor", "password": "contractor", "width": 390, "height": 844, "full": true}
]
JSON
"$PY" "$ROOT/scripts/screenshots.py" --base "$BASE" --out "$OUT" "$LOCAL/shots/spec.json"

# The sticker sheet of the demo equipment, page 1, as it prints.
"$PY" -m odoo shell -c "$conf" -d "$DB" --no-http --log-level=warn > /dev/null <<PYEOF
equipment = env["maintenance.equipment"].search([("sticker_id", "!=", False)])
pdf, _ = env["ir.actions.report"]._render_qweb_pdf("klusheeren_equipment.action_report_sticker_sheet", equipment.ids)
open("$LOCAL/shots/stickers.pdf", "wb").write(pdf)
PYEOF
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$LOCAL/shots/stickers.pdf" "$OUT/09-sticker-sheet"
ls -la "$OUT"
