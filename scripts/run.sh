#!/usr/bin/env bash
# Serves the product with Dutch demo data on http://localhost:8069.
# First run: installs what is missing, starts the project-local PostgreSQL and creates the database
# "klusheeren" with all the project's addons, as a Dutch operator installs it (lib.sh: create_db nl: the company
# in the Netherlands with EUR and the Dutch chart of accounts, Dutch and English); later runs reuse both. KH_RESET=1 recreates the database.
# E-mails go to a local mail catcher (aiosmtpd) that keeps each one as a file in .local/mail/new/;
# SMS to a local fake gateway (MessageBird's REST format) that keeps each one as a file in .local/sms/.
#   KH_DB=name (default klusheeren)   KH_HTTP_PORT=port (default 8069)   KH_SMTP_PORT=port (default 2525)
#   KH_SMS_PORT=port (default KH_HTTP_PORT + 1)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${KH_DB:-klusheeren}"
PORT="${KH_HTTP_PORT:-8069}"
SMTP_PORT="${KH_SMTP_PORT:-2525}"
SMS_PORT="${KH_SMS_PORT:-$((PORT + 1))}"
MAILDIR="$LOCAL/mail"
SMSDIR="$LOCAL/sms"
BASE="http://localhost:$PORT"

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/pg.sh" start
conf=$(odoo_conf)

exists=$(psql_local -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'")
if [ "${KH_RESET:-0}" = 1 ] && [ "$exists" = 1 ]; then
    psql_local -U "$DB_USER" -d postgres -c "drop database \"$DB\"" >/dev/null
    rm -rf "$LOCAL/data/filestore/$DB" "$MAILDIR" "$SMSDIR"
    exists=""
fi
if [ "$exists" != 1 ]; then
    say "Creating the demo database $DB (a few minutes, once; log in .local/install-$DB.log)"
    rm -f "$LOCAL/install-$DB.log"
    create_db "$DB" nl "$ADDONS" "$LOCAL/install-$DB.log" --log-level=warn \
        || { psql_local -U "$DB_USER" -d postgres -c "drop database if exists \"$DB\"" >/dev/null
             die "installing the addons failed; see .local/install-$DB.log"; }
    psql_local -U "$DB_USER" -d "$DB" >/dev/null <<SQL
update ir_config_parameter set value = '$BASE' where key = 'web.base.url';
insert into ir_config_parameter (key, value) values ('web.base.url.freeze', 'True')
    on conflict (key) do update set value = 'True';
update res_partner set lang = 'nl_NL' where id in (select partner_id from res_users where login = 'admin');
SQL
fi

# SMS leave through the local fake gateway (its port may change between runs)
psql_local -U "$DB_USER" -d "$DB" >/dev/null <<SQL
insert into ir_config_parameter (key, value) values
    ('klusheeren_sms.gateway_url', 'http://127.0.0.1:$SMS_PORT/messages'),
    ('klusheeren_sms.gateway_key', 'local-demo-key')
    on conflict (key) do update set value = excluded.value;
SQL

q() { psql_local -U "$DB_USER" -d "$DB" -tAc "$1" 2>/dev/null || true; }
sticker=$(q "select token from klusheeren_sticker where state = 'bound' order by id limit 1")
free=$(q "select token from klusheeren_sticker where state = 'free' order by id limit 1")
wo=$(q "select id || '?access_token=' || access_token from klusheeren_work_order where access_token is not null and state in ('sent', 'accepted') order by id limit 1")
ticket=$(q "select id || '?access_token=' || access_token from helpdesk_ticket where access_token is not null and equipment_id is not null order by id limit 1")
rating=$(q "select id || '?access_token=' || access_token from klusheeren_rating where access_token is not null order by id limit 1")
visit=$(q "select id || '?access_token=' || access_token from klusheeren_visit where access_token is not null order by appointment_date desc limit 1")

cat <<EOF

  KlusHeeren storingen demo: $BASE   (database $DB)

  Back office      $BASE/odoo           login backoffice / backoffice   (admin / admin for settings)
  Customer portal  $BASE/my/tickets     login portal / portal
  Contractor       $BASE/my/work-orders login contractor / contractor
EOF
[ -n "$sticker" ] && echo "  Report a fault   $BASE/qr/$sticker   (a sticker on a coffee machine; no login)"
[ -n "$free" ] && echo "  Blank sticker    $BASE/qr/$free   (register equipment when logged in as backoffice)"
[ -n "$wo" ] && echo "  Work order page  $BASE/my/work-orders/$wo   (the contractor's e-mail link; no login)"
[ -n "$ticket" ] && echo "  Reporter page    $BASE/my/ticket/$ticket   (the reporter's tracking link; no login)"
[ -n "$rating" ] && echo "  Rating page      $BASE/klusheeren/rating/$rating   (the reporter's feedback link)"
[ -n "$visit" ] && echo "  Pre-visit page   $BASE/my/visits/$visit   (the appointment reminder's link; no login)"
cat <<EOF
  Sticker sheet    Back office > Maintenance > Equipment, select, Print > Sticker sheet
  E-mails          sent to a local mail catcher: one file each in .local/mail/new/ (open it in any mail
                   program), and listed in the back office under Settings > Technical > Emails
  SMS              sent to a local fake gateway on 127.0.0.1:$SMS_PORT: one JSON file each in .local/sms/

EOF
say "Serving Odoo on $BASE (Ctrl-C stops it; PostgreSQL keeps running: make db-stop)"
mkdir -p "$MAILDIR"/tmp "$MAILDIR"/new "$MAILDIR"/cur   # a Maildir
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" >"$LOCAL/mail.log" 2>&1 &
catcher=$!
"$PY" "$ROOT/tests/tools/fake_gateway.py" --port "$SMS_PORT" --dir "$SMSDIR" --key local-demo-key \
    >"$LOCAL/sms.log" 2>&1 &
gateway=$!
trap 'kill $catcher $gateway 2>/dev/null' EXIT
"$PY" -m odoo -c "$conf" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=warn \
    --smtp=127.0.0.1 --smtp-port="$SMTP_PORT"
