#!/usr/bin/env bash
# Refreshes docs/screenshots/*.png from the demo database (creates it like `make run` when missing):
# starts Odoo on a spare port, photographs every public page at phone width (390 x 844, in Dutch, the
# demo's language) and the back office at desktop width with headless Chromium, and renders page 1 of
# the sticker sheet and of a work order as they print.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="${KH_DB:-klusheeren}"
PORT="${KH_SHOT_PORT:-8068}"   # a spare port; several worktrees: give each its own
BASE="http://localhost:$PORT"
OUT="$ROOT/docs/screenshots"
mkdir -p "$OUT" "$LOCAL/shots"

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)
# as a Dutch phone shows them: Chromium's own controls (file, date and number fields) in Dutch. (The
# light pages' icons are emoji: without an emoji font they show as boxes. Debian's fonts-noto-color-emoji
# is no cure: headless Chromium then draws the back office's digits and spaces with it.)
ls /usr/lib/chromium/locales/nl.pak >/dev/null 2>&1 || ! command -v apt-get >/dev/null \
    || say "Chromium's controls stay English without its Dutch: apt-get install chromium-l10n"
if [ "$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")" != 1 ]; then
    die "no demo database $DB yet: run 'make run' once first"
fi
q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1"; }
# the stickers: the form of a machine with self-help articles and open reports; a report sent on another
# one (each run adds one there); "me too" on the machine with the fewest open reports
sticker=$(q "select token from klusheeren_sticker where state = 'bound' order by id limit 1")
report_sticker=$(q "select token from klusheeren_sticker where state = 'bound' order by id desc limit 1")
metoo_sticker=$(q "select s.token from klusheeren_sticker s join helpdesk_ticket t on t.equipment_id = s.equipment_id
    join helpdesk_ticket_stage st on st.id = t.stage_id where s.state = 'bound' and t.active and not coalesce(st.closed, false)
    group by s.id, s.token order by count(*), s.id limit 1")
free=$(q "select token from klusheeren_sticker where state = 'free' order by id limit 1")
wo=$(q "select id || '?access_token=' || access_token from klusheeren_work_order where access_token is not null and state = 'accepted' order by id limit 1")
ticket=$(q "select t.id || '?access_token=' || t.access_token from helpdesk_ticket t join klusheeren_work_order w on w.ticket_id = t.id where t.access_token is not null and w.appointment_date is not null order by t.id limit 1")
rating=$(q "select id || '?access_token=' || access_token from klusheeren_rating where access_token is not null order by id limit 1")
complaint=$(q "select id || '?access_token=' || access_token from klusheeren_complaint where access_token is not null order by id limit 1")
visit=$(q "select id || '?access_token=' || access_token from klusheeren_visit where access_token is not null order by appointment_date desc limit 1")
visit_order=$(q "select work_order_id from klusheeren_visit where access_token is not null order by appointment_date desc limit 1")
done_wo_id=$(q "select w.id from klusheeren_work_order w where w.state = 'done' and w.access_token is not null and exists (select 1 from klusheeren_work_order_line l where l.work_order_id = w.id) order by w.id limit 1")
done_wo="$done_wo_id?access_token=$(q "select access_token from klusheeren_work_order where id = ${done_wo_id:-0}")"
sent_wo=$(q "select id from klusheeren_work_order where state = 'sent' and access_token is not null order by id limit 1")
batch=$(q "select id from klusheeren_finance_export where state = 'exported' order by id limit 1")
dashboard=$(q "select res_id from ir_model_data where module = 'klusheeren_finance' and name = 'spreadsheet_dashboard_tickets'")

"$PY" -m odoo -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-port=$PORT --workers=0 --log-level=warn \
    --logfile="$LOCAL/shots/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 90); do curl -fs "$BASE/web/health" >/dev/null 2>&1 && break; sleep 1; done

# As they print: page 1 of the sticker sheet of the demo equipment and of the done work order (with its
# lines); and the links of the work order e-mail's "Accept" and "Refuse…" buttons (signed by the database)
"$PY" -m odoo shell -c "$conf" -d "$DB" --no-http --log-level=warn > "$LOCAL/shots/shell.out" <<PYEOF
# wkhtmltopdf fetches the report's style from the server just started (this shell commits nothing)
env["ir.config_parameter"].set_param("report.url", "$BASE")
Report = env["ir.actions.report"]
equipment = env["maintenance.equipment"].search([("sticker_id", "!=", False)])
pdf, _ = Report._render_qweb_pdf("klusheeren_equipment.action_report_sticker_sheet", equipment.ids)
open("$LOCAL/shots/stickers.pdf", "wb").write(pdf)
pdf, _ = Report._render_qweb_pdf("klusheeren_helpdesk.action_report_work_order", [$done_wo_id])
open("$LOCAL/shots/work-order.pdf", "wb").write(pdf)
order = env["klusheeren.work.order"].browse(${sent_wo:-0})
for action in ("accept", "refuse"):
    print("mail_%s=%s" % (action, order._klusheeren_action_url(action).split("/", 3)[3]))
PYEOF
mail_accept=/$(sed -n 's/^mail_accept=//p' "$LOCAL/shots/shell.out")
mail_refuse=/$(sed -n 's/^mail_refuse=//p' "$LOCAL/shots/shell.out")
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$LOCAL/shots/stickers.pdf" "$OUT/09-sticker-sheet"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$LOCAL/shots/work-order.pdf" "$OUT/32-work-order-pdf"

PHONE='"width": 390, "height": 844, "full": true'
BACKOFFICE='"login": "backoffice", "password": "backoffice", "width": 1280, "wait": ".o_view_controller"'
BACK="$BACKOFFICE, \"height\": 760, \"settle\": 3"
cat > "$LOCAL/shots/spec.json" <<JSON
[
 {"name": "01-qr-report-form", "path": "/qr/$sticker", $PHONE, "max_height": 2600},
 {"name": "02-qr-report-sent", "path": "/qr/$report_sticker", $PHONE,
  "fill": {"form.o_klusheeren_report_form textarea[name=description]": "De cv-ketel geeft storing F28 en de radiatoren blijven koud.",
           "form.o_klusheeren_report_form input[name=name]": "Douwe Demo",
           "form.o_klusheeren_report_form input[name=email]": "douwe.demo@example.com",
           "form.o_klusheeren_report_form input[name=phone]": "088-5550555"},
  "submit": "form.o_klusheeren_report_form button[type=submit]"},
 {"name": "03-contractor-work-order", "path": "/my/work-orders/$wo", $PHONE, "max_height": 3400},
 {"name": "04-reporter-ticket", "path": "/my/ticket/$ticket", $PHONE, "max_height": 2600},
 {"name": "05-company-portal", "path": "/my/tickets", "login": "portal", "password": "portal", "width": 1280, "height": 760},
 {"name": "06-backoffice-work-orders", "path": "/odoo/action-klusheeren_helpdesk.action_work_order", $BACK},
 {"name": "07-backoffice-equipment", "path": "/odoo/action-maintenance.hr_equipment_action", $BACK},
 {"name": "08-free-sticker", "path": "/qr/$free", $PHONE},
 {"name": "10-rating", "path": "/klusheeren/rating/$rating", $PHONE},
 {"name": "11-complaint-feedback", "path": "/klusheeren/complaint/$complaint", $PHONE, "max_height": 2600},
 {"name": "12-contractor-scorecards", "path": "/odoo/action-klusheeren_rating.action_klusheeren_rating_report", $BACK},
 {"name": "13-pre-visit-page", "path": "/my/visits/$visit", $PHONE, "max_height": 3200},
 {"name": "14-backoffice-checkin", "path": "/odoo/action-klusheeren_helpdesk.action_work_order/$visit_order", $BACKOFFICE, "height": 1400, "settle": 3,
  "click": "a[name=klusheeren_checkin]"},
 {"name": "15-company-request-form", "path": "/new/ticket", "login": "portal", "password": "portal", $PHONE},
 {"name": "16-responsibility-rules", "path": "/odoo/action-klusheeren_helpdesk.action_responsibility", $BACK},
 {"name": "17-work-order-lines", "path": "/my/work-orders/$done_wo", $PHONE, "max_height": 3200},
 {"name": "18-export-batch", "path": "/odoo/klusheeren-exports/$batch", $BACK},
 {"name": "19-statistics", "path": "/odoo/klusheeren-statistics", $BACK},
 {"name": "20-dashboard", "path": "/odoo/dashboards?dashboard_id=$dashboard", "login": "backoffice", "password": "backoffice", "width": 1280, "height": 900, "settle": 5,
  "wait": ".o_spreadsheet_dashboard_action canvas"},
 {"name": "21-statistics-graph", "path": "/odoo/klusheeren-statistics?view_type=graph", $BACK},
 {"name": "22-contractor-statistics", "path": "/my/work-orders/statistics", "login": "contractor", "password": "contractor", $PHONE},
 {"name": "23-qr-metoo", "path": "/qr/$metoo_sticker", $PHONE, "max_height": 2600, "click": "summary.o_klusheeren_metoo_open"},
 {"name": "24-qr-metoo-sent", "path": "/qr/$metoo_sticker", $PHONE,
  "click": ["input[name=ticket_id]", "summary.o_klusheeren_metoo_open"],
  "fill": {"#kh_metoo_email": "ineke.ookdit@example.com"}, "submit": "button.o_klusheeren_metoo_submit"},
 {"name": "26-qr-selfhelp", "path": "/qr/$sticker", "width": 390, "height": 844,
  "click": "details.kh-selfhelp-article summary", "from": "section.kh-selfhelp"},
 {"name": "27-qr-selfhelp-solved", "path": "/qr/$sticker", $PHONE,
  "click": "details.kh-selfhelp-article summary", "submit": "form.kh-selfhelp-solved button[type=submit]"},
 {"name": "28-mail-action-accept", "path": "$mail_accept", $PHONE},
 {"name": "29-mail-action-refuse", "path": "$mail_refuse", $PHONE},
 {"name": "30-qr-unknown", "path": "/qr/onbekende-sticker", $PHONE},
 {"name": "31-portal-help", "path": "/my/help", "login": "portal", "password": "portal", $PHONE}
]
JSON
"$PY" "$ROOT/scripts/screenshots.py" --base "$BASE" --out "$OUT" "$LOCAL/shots/spec.json"

# the page of the one who said "me too" (23-24 above made them): their own link of the update messages
follow=$(q "select id || '?token=' || access_token from klusheeren_ticket_subscriber where active order by id desc limit 1")
cat > "$LOCAL/shots/spec-follow.json" <<JSON
[{"name": "25-follow-page", "path": "/klusheeren/follow/$follow", $PHONE}]
JSON
"$PY" "$ROOT/scripts/screenshots.py" --base "$BASE" --out "$OUT" "$LOCAL/shots/spec-follow.json"
ls -la "$OUT"
