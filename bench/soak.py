#!/usr/bin/env python3
"""Soak of the whole demo journey over real HTTP, against Odoo in prefork mode with its cron
(started by bench/soak.sh), with a real SMTP catcher (aiosmtpd) that is down for part of the run.

Each of --users concurrent users runs --journeys journeys, each on a sticker of its own turn:
  reporter     GET the QR form, POST a report (the form's CSRF token)
  contractor   accepts the work order, plans the visit (its page, its token)
  visit contact  confirms the appointment, leaves a remark (the visit page)
  contractor   completes the work order
  reporter     rates it (every 3rd: "not solved"), every 4th files a complaint (the ticket page)
then the back office exports the completed work orders for finance (JSON-RPC).
The links' tokens are read from the database, as the e-mails carry them: the journey does not wait
for the mail server, the e-mails are judged at the end. Then, once the queue is empty: every e-mail
Odoo meant to send (per message and recipient, from mail.notification and the kept mail.mail) was
received by the catcher exactly once; none is in exception; the delays (queued -> received).
Only loopback addresses are reached.
"""

import argparse
import json
import mailbox
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import getaddresses
from urllib.parse import urlparse

import psycopg2
import requests

HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR_RE = re.compile(r'(name|value)="([^"]*)"')


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]


class Catcher:
    """aiosmtpd writing each e-mail into a Maildir, as `make run`; stop() and start() for the outage."""

    def __init__(self, python, port, maildir, log):
        self.cmd = [python, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c"]
        self.cmd += ["aiosmtpd.handlers.Mailbox", maildir]
        self.port, self.log, self.proc = port, log, None

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        import socket

        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the SMTP catcher did not start")

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
            self.proc = None


class Soak:
    def __init__(self, args):
        self.args = args
        self.db = psycopg2.connect(host=args.pg_host, port=args.pg_port, user=args.pg_user, dbname=args.db)
        self.db.autocommit = True
        self.errors = []
        self.lock = threading.Lock()
        self.steps = Counter()
        self.latencies = []

    def q(self, sql, params=()):
        with self.lock, self.db.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def wait_row(self, sql, params, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            rows = self.q(sql, params)
            if rows and all(v is not None for v in rows[0]):
                return rows[0]
            time.sleep(0.5)
        raise RuntimeError(f"nothing after {timeout} s: {sql % params}")

    # -- HTTP ---------------------------------------------------------------------------------------------
    def call(self, session, method, path, step, expect=(200, 303), **kw):
        """One request; a page (GET) follows redirects (the website's language prefix, /nl/...)."""
        start = time.perf_counter()
        url = path if path.startswith("http") else self.args.base + path
        response = session.request(method, url, timeout=180, allow_redirects=method == "GET", **kw)
        with self.lock:
            self.latencies.append(time.perf_counter() - start)
            self.steps[step] += 1
        if response.status_code not in expect:
            raise RuntimeError(f"{step}: HTTP {response.status_code} on {path}")
        return response

    def csrf(self, session, path, step):
        return self.form(session, path, step)["csrf_token"]

    def form(self, session, path, step):
        """The hidden fields of the page's first form (its CSRF token, whatever else it carries)."""
        response = self.call(session, "GET", path, step, expect=(200,))
        text = response.text
        fields = {"_url": response.url}
        for tag in HIDDEN_RE.findall(text):
            attrs = dict(ATTR_RE.findall(tag))
            if "name" in attrs:
                fields.setdefault(attrs["name"], attrs.get("value", ""))
        if "csrf_token" not in fields:
            raise RuntimeError(f"{step}: no csrf_token on {path}")
        return fields

    def journey(self, user, n, sticker):
        s = requests.Session()
        s.headers["Connection"] = "close"  # no idle keep-alive connection for Odoo's workers to time out
        tag = f"soak-{self.args.run}-{user}-{n}"
        email = f"{tag}@example.com"
        qr = f"/qr/{sticker}"
        data = self.form(s, qr, "qr form")
        form_url = data.pop("_url")  # where the form is (the language prefix kept)
        data.update(description=f"Soak: lekt water ({tag}).", name=f"Melder {user}")
        data.update(email=email, phone="0201234567")
        self.call(s, "POST", form_url, "report", expect=(303,), data=data)
        ticket_id, ticket_token = self.wait_row(
            "select id, access_token from helpdesk_ticket where partner_email = %s", (email,)
        )
        order_id, order_token = self.wait_row(
            "select id, access_token from klusheeren_work_order where ticket_id = %s", (ticket_id,)
        )
        # the contractor: once its work order e-mail is on its way (the link it clicks), accepts, plans the visit
        self.wait_row("select 1 from klusheeren_work_order where id = %s and not mail_pending", (order_id,), 600)
        page = f"/my/work-orders/{order_id}?access_token={order_token}"
        update = f"/my/work-orders/{order_id}/update"
        csrf = self.csrf(s, page, "work order page")
        base = {"csrf_token": csrf, "access_token": order_token}
        self.call(s, "POST", update, "accept", data={**base, "action": "accept"})
        when = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
        self.call(s, "POST", update, "plan", data={**base, "action": "save", "appointment_date": when})
        visit_id, visit_token = self.wait_row(
            "select id, access_token from klusheeren_visit where work_order_id = %s", (order_id,)
        )
        # the visit contact: confirms, leaves a remark
        vpage = f"/my/visits/{visit_id}?access_token={visit_token}"
        csrf = self.csrf(s, vpage, "visit page")
        vbase = {"csrf_token": csrf, "access_token": visit_token}
        vupdate = f"/my/visits/{visit_id}/update"
        self.call(s, "POST", vupdate, "confirm", data={**vbase, "action": "confirm"})
        remark = {**vbase, "action": "remark", "subject": "Hond", "description": "Er loopt een hond rond."}
        self.call(s, "POST", vupdate, "remark", data=remark)
        # the contractor completes
        done = {**base, "action": "done", "amount_total": "120,50", "contractor_remarks": "Afdichting vervangen"}
        self.call(s, "POST", update, "done", data=done)
        rating_id, rating_token = self.wait_row(
            "select id, access_token from klusheeren_rating where work_order_id = %s", (order_id,)
        )
        rpage = f"/klusheeren/rating/{rating_id}?access_token={rating_token}"
        csrf = self.csrf(s, rpage, "rating page")
        solved = "no" if n % 3 == 2 else "yes"
        rating = {"csrf_token": csrf, "access_token": rating_token, "speed": "4", "communication": "3"}
        rating.update(quality="4", solved=solved, comment="Soak")
        self.call(s, "POST", rpage, "rate", expect=(303,), data=rating)
        if n % 4 == 3:
            tpage = f"/my/ticket/{ticket_id}?access_token={ticket_token}"
            csrf = self.csrf(s, tpage, "ticket page")
            complaint = {"csrf_token": csrf, "access_token": ticket_token, "reason": "quality"}
            complaint["description"] = "Het lekt nog steeds."
            self.call(s, "POST", f"/my/ticket/{ticket_id}/complaint", "complaint", expect=(303,), data=complaint)

    def user(self, user, stickers):
        for n in range(self.args.journeys):
            sticker = stickers[(user * self.args.journeys + n) % len(stickers)]
            try:
                self.journey(user, n, sticker)
            except Exception as error:  # counted, the soak goes on
                with self.lock:
                    self.errors.append(f"user {user} journey {n}: {error}")
            time.sleep(random.uniform(0, self.args.think))

    def finance_export(self):
        s = requests.Session()
        s.headers["Connection"] = "close"
        rpc = self.args.base + "/jsonrpc"

        def call(model, method, *args):
            payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": "object", "method": "execute_kw"}}
            payload["params"]["args"] = [self.args.db, 2, self.args.admin_password, model, method, list(args)]
            answer = s.post(rpc, json=payload, timeout=180).json()
            if "error" in answer:
                raise RuntimeError(f"finance export: {answer['error'].get('data', {}).get('message')}")
            return answer["result"]

        today = datetime.now().strftime("%Y-%m-%d")
        batch = call("klusheeren.finance.export", "create", {"date_from": today, "date_to": today})
        call("klusheeren.finance.export", "action_export", [batch])
        self.steps["finance export"] += 1

    # -- the e-mails ----------------------------------------------------------------------------------------
    def queue_empty(self, since):
        (row,) = self.q(
            """select (select count(*) from mail_mail where state = 'outgoing')
                    + (select count(*) from mail_mail where state = 'exception' and create_date >= %s)
                    + (select count(*) from klusheeren_work_order where mail_pending)
                    + (select count(*) from klusheeren_report_submission
                        where number is not null and ticket_id is null)
                    + (select count(*) from helpdesk_ticket
                        where klusheeren_ack_pending or klusheeren_announce_pending)""",
            (since,),
        )
        return row[0] == 0

    def expected(self, since):
        """(Message-Id, recipient) -> (queued at, model, subject) of every e-mail since ``since``."""
        rows = self.q(
            """select m.message_id, lower(p.email_normalized), m.create_date, m.model, m.subject
                 from mail_notification n join mail_message m on m.id = n.mail_message_id
                 join res_partner p on p.id = n.res_partner_id
                where n.notification_type = 'email' and m.create_date >= %s and p.email_normalized is not null
               union
               select m.message_id, lower(p.email_normalized), mm.create_date, m.model, m.subject
                 from mail_mail mm join mail_message m on m.id = mm.mail_message_id
                 join mail_mail_res_partner_rel r on r.mail_mail_id = mm.id
                 join res_partner p on p.id = r.res_partner_id
                where not mm.is_notification and mm.create_date >= %s and p.email_normalized is not null""",
            (since, since),
        )
        expected = {(mid, rcpt): (at, model, subject) for mid, rcpt, at, model, subject in rows}
        plain = self.q(
            """select m.message_id, mm.email_to, mm.create_date, m.model, m.subject
                 from mail_mail mm join mail_message m on m.id = mm.mail_message_id
                where not mm.is_notification and mm.create_date >= %s and coalesce(mm.email_to, '') != ''""",
            (since,),
        )
        for mid, email_to, at, model, subject in plain:
            for _name, address in getaddresses([email_to]):
                expected[(mid, address.lower())] = (at, model, subject)
        return expected

    def delivered(self, since_epoch):
        """(Message-Id, recipient) -> times received (the Maildir file's time) at the catcher."""
        got = {}
        box = mailbox.Maildir(self.args.maildir, factory=None, create=False)
        for key in box.keys():
            path = os.path.join(self.args.maildir, box._lookup(key))
            mtime = os.path.getmtime(path)
            if mtime < since_epoch:
                continue
            message = box.get_message(key)
            rcpts = [a.lower() for _n, a in getaddresses(message.get_all("X-RcptTo", []))]
            for rcpt in rcpts:
                got.setdefault((message["Message-Id"], rcpt), []).append(mtime)
        return got


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--pg-host", required=True)
    parser.add_argument("--pg-port", required=True)
    parser.add_argument("--pg-user", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--journeys", type=int, default=4, help="journeys per user")
    parser.add_argument("--think", type=float, default=2.0, help="seconds of pause (at most) between journeys")
    parser.add_argument("--outage-after", type=float, default=20, help="seconds into the run the catcher stops")
    parser.add_argument("--outage", type=float, default=120, help="seconds the catcher stays down (0: none)")
    parser.add_argument("--drain-timeout", type=float, default=900, help="seconds to wait for the queue")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--run", default=str(int(time.time())))
    parser.add_argument("--json")
    args = parser.parse_args()
    host = urlparse(args.base).hostname
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("bench/soak.py only targets loopback addresses")
    os.makedirs(args.maildir, exist_ok=True)
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)

    soak = Soak(args)
    catcher = Catcher(sys.executable, args.smtp_port, args.maildir, os.path.join(args.out, "smtp.log"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    catcher.start()
    try:
        run(args, soak, catcher)
    finally:
        catcher.stop()


def run(args, soak, catcher):
    stickers = [t for (t,) in soak.q("select token from klusheeren_sticker where state = 'bound' order by id")]
    if not stickers:
        raise SystemExit("no bound sticker in the database")
    (since,) = soak.q("select now() at time zone 'utc'")[0]
    since_epoch = time.time()
    started = time.time()
    threads = [threading.Thread(target=soak.user, args=(u, stickers)) for u in range(args.users)]
    for t in threads:
        t.start()
    outage = None
    if args.outage > 0:
        while time.time() - started < args.outage_after and any(t.is_alive() for t in threads):
            time.sleep(0.5)
        catcher.stop()
        outage = (time.time() - started, None)
        print(f"SMTP catcher down at {outage[0]:.0f} s", flush=True)
        while time.time() - started < args.outage_after + args.outage:
            time.sleep(0.5)
        catcher.start()
        outage = (outage[0], time.time() - started)
        print(f"SMTP catcher up again at {outage[1]:.0f} s", flush=True)
    for t in threads:
        t.join()
    journeys_done = time.time() - started
    try:
        soak.finance_export()
    except Exception as error:
        soak.errors.append(str(error))
    print(f"journeys done in {journeys_done:.0f} s; waiting for the mail queue", flush=True)
    deadline = time.time() + args.drain_timeout
    while time.time() < deadline and not soak.queue_empty(since):
        time.sleep(2)
    drained = soak.queue_empty(since)
    time.sleep(3)  # the last e-mails reach the Maildir
    catcher.stop()

    expected = soak.expected(since)
    delivered = soak.delivered(since_epoch)
    missing = [k for k in expected if k not in delivered]
    duplicated = {k: len(v) for k, v in delivered.items() if k in expected and len(v) > 1}
    unexpected = [k for k in delivered if k not in expected]
    delays = [
        min(delivered[k]) - at.replace(tzinfo=UTC).timestamp() for k, (at, _m, _s) in expected.items() if k in delivered
    ]
    (exceptions,) = soak.q("select count(*) from mail_mail where state = 'exception' and create_date >= %s", (since,))[
        0
    ]
    per_kind = Counter((model or "-") for (_mid, _r), (_at, model, _s) in expected.items())
    result = {
        "users": args.users,
        "journeys": args.users * args.journeys,
        "journey_errors": soak.errors,
        "steps": dict(soak.steps),
        "http_p95_ms": round(percentile(soak.latencies, 95) * 1000),
        "outage_s": [round(x) for x in outage] if outage else None,
        "queue_drained": drained,
        "emails_expected": len(expected),
        "emails_delivered": sum(1 for k in expected if k in delivered),
        "emails_duplicated": len(duplicated),
        "emails_missing": len(missing),
        "emails_unexpected": len(unexpected),
        "emails_in_exception": exceptions,
        "per_model": dict(per_kind),
        "delay_p50_s": round(percentile(delays, 50), 1),
        "delay_p95_s": round(percentile(delays, 95), 1),
        "delay_max_s": round(max(delays), 1) if delays else None,
        "delay_mean_s": round(statistics.mean(delays), 1) if delays else None,
        "run_s": round(time.time() - started),
    }
    print(json.dumps(result, indent=1, default=str))
    for key in missing[:10]:
        print("MISSING", key, expected[key][1:], file=sys.stderr)
    for key in list(duplicated)[:10]:
        print("DUPLICATED", key, duplicated[key], file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1, default=str)
    ok = (
        not soak.errors
        and drained
        and not missing
        and not duplicated
        and not exceptions
        and result["emails_expected"] > 0
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
