"""The multi-node proof on loopback (issue 15); bench/multinode.sh prepares the database and runs this.

Starts, all on 127.0.0.1 and from the production templates in deploy/:
  PgBouncer (deploy/pgbouncer/pgbouncer.ini.template) in front of the project's PostgreSQL cluster:
    transaction pooling for the business and the sessions database, session pooling for `postgres`;
  Odoo nodes A and B (prefork workers + websocket process each), each with a data_dir of its own whose
    filestore/ is the one shared filestore, sessions in PostgreSQL (OCA session_db, SESSION_DB_URI);
  nginx twice (deploy/nginx/templates/klusheeren.conf.template): in front of A alone, and of A and B;
  an SMTP sink that keeps every message the nodes send.
Then it shows, and fails when one does not hold:
  1. a login on node A is valid on node B (and the session is a row in PostgreSQL, not a file);
  2. a report with a photo posted on A: B shows its thanks page (session), the photo on B's contractor page;
  3. a notification sent through A reaches a websocket client connected to B;
  4. the proxy overwrites X-Forwarded-For: the rate limit counts the real client address;
  5. throughput of the report POST and the contractor page through the proxy, one node and two;
  6. with both nodes running the cron, every queued work order e-mail and confirmation is sent exactly once;
  7. node A killed (SIGKILL) in the middle of a load of reports: every report the client got a success for
     is in the database, and the proxy keeps serving through B.
  8. a burst of concurrent reports from one address, spread over both nodes, passes the QR form's limit no
     more than the limit allows (the counter is one upsert per key: no check-then-insert race).
Only loopback addresses are used; every loop is bounded in count and time.
"""

import argparse
import concurrent.futures
import email
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from email import policy

import psutil
import psycopg2
import requests
import websocket
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
TOKEN_RE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
NL = {"Accept-Language": "nl-NL,nl;q=0.9"}
# the highest rate limit the setting accepts (klusheeren_portal/models/res_config_settings.py): no limit
# in the way of the load; a value out of bounds would count as the default (5)
MAX_LIMIT = 10000
# a report accepted by the sticker's form and waiting for the intake job to make its ticket
QUEUED = "number is not null and ticket_id is null"
START = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - START:6.1f}s] {msg}", flush=True)


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)
    log(f"  OK  {what}")


def render(template_path, values):
    """envsubst restricted to the given names: ${NAME} of values replaced, nginx's own $vars left alone."""
    with open(template_path) as f:
        text = f.read()
    missing = sorted({m for m in TOKEN_RE.findall(text) if m not in values})
    if missing:
        raise SystemExit(f"{template_path}: no value for {', '.join(missing)}")
    return TOKEN_RE.sub(lambda m: values[m.group(1)], text)


def jpeg(side, seed):
    from PIL import Image

    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rnd.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


class Sink:
    """SMTP sink: keeps (recipients, subject) of every message the nodes send."""

    def __init__(self, port):
        self.messages = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=HOST, port=port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append({"to": [r.lower() for r in envelope.rcpt_tos], "subject": str(msg["Subject"])})
        return "250 OK"

    def stop(self):
        self.controller.stop()


class Proc:
    """A process in a process group of its own, so that it is killed with all its children. Not a session of
    its own: Linux's autogroup scheduler shares the CPU fairly between sessions, so on a machine that other
    users load, every node in a session of its own would get one more share, and two nodes would look
    faster than one for that reason alone. All the nodes share this script's session and its share of the CPU."""

    def __init__(self, name, cmd, logfile, env=None):
        self.name = name
        self.logfile = logfile
        self.out = open(logfile + ".out", "ab")
        self.popen = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT, env=env, process_group=0)

    def alive(self):
        return self.popen.poll() is None

    def kill(self, sig=signal.SIGTERM, wait=30):
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        self.out.close()


class Cluster:
    def __init__(self, args):
        self.args = args
        p = args.base_port
        self.ports = {
            "a": p,
            "a_ws": p + 1,
            "b": p + 2,
            "b_ws": p + 3,
            "pgbouncer": p + 4,
            "proxy2": p + 5,
            "proxy1": p + 6,
            "smtp": p + 7,
        }
        assert max(self.ports.values()) <= p + 9
        self.out = args.out
        self.procs = {}
        self.log_offsets = {}
        self.db_kw = {"host": args.pg_socket, "port": args.pg_port, "user": args.db_user}
        self.is_root = os.geteuid() == 0
        self.data_dir = self._conf_value("data_dir")

    def _conf_value(self, key):
        with open(self.args.odoo_conf) as f:
            for line in f:
                k, _, v = line.partition("=")
                if k.strip() == key:
                    return v.strip()
        raise SystemExit(f"{key} not in {self.args.odoo_conf}")

    def sql(self, query, params=(), db=None):
        with psycopg2.connect(dbname=db or self.args.db, **self.db_kw) as cnx, cnx.cursor() as cr:
            cr.execute(query, params)
            rows = cr.fetchall() if cr.description else None
        cnx.close()
        return rows

    def url(self, name, path=""):
        return f"http://{HOST}:{self.ports[name]}{path}"

    def _own(self, path, user):
        if self.is_root:
            shutil.chown(path, user, user)

    # -- PgBouncer ---------------------------------------------------------------------------------------
    def start_pgbouncer(self):
        d = os.path.join(self.out, "pgbouncer")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        values = {
            "PGB_DB": self.args.db,
            "PGB_SESSION_DB": self.args.session_db,
            "PGB_UPSTREAM_HOST": self.args.pg_socket,
            "PGB_UPSTREAM_PORT": str(self.args.pg_port),
            "PGB_POOL_SIZE": "20",
            "PGB_SESSION_POOL_SIZE": "5",
            "PGB_LISTEN_POOL_SIZE": "30",
            "PGB_MAX_CLIENT_CONN": "1000",
            "PGB_LISTEN_ADDR": HOST,
            "PGB_LISTEN_PORT": str(self.ports["pgbouncer"]),
            # loopback: the cluster trusts its socket; production: scram-sha-256 with the .env password
            "PGB_SOCKET_DIR": "",
            "PGB_AUTH_TYPE": "trust",
            "PGB_AUTH_FILE": os.path.join(d, "userlist.txt"),
            "PGB_LOGFILE": os.path.join(d, "pgbouncer.log"),
            "PGB_PIDFILE": os.path.join(d, "pgbouncer.pid"),
            "PGB_ADMIN_USER": self.args.db_user,
        }
        ini = os.path.join(d, "pgbouncer.ini")
        with open(ini, "w") as f:
            f.write(render(os.path.join(self.args.root, "deploy/pgbouncer/pgbouncer.ini.template"), values))
        with open(values["PGB_AUTH_FILE"], "w") as f:
            f.write(f'"{self.args.db_user}" ""\n')
        for path in (d, ini, values["PGB_AUTH_FILE"]):
            self._own(path, "postgres")  # PgBouncer refuses to run as root
        cmd = [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer", ini]
        if self.is_root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        self.procs["pgbouncer"] = Proc("pgbouncer", cmd, os.path.join(d, "pgbouncer"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                psycopg2.connect(
                    host=HOST, port=self.ports["pgbouncer"], user=self.args.db_user, dbname=self.args.db
                ).close()
                return
            except psycopg2.OperationalError:
                time.sleep(0.3)
        raise SystemExit(f"PgBouncer did not start, see {d}")

    # -- nginx -------------------------------------------------------------------------------------------
    def start_proxy(self, name, nodes):
        d = os.path.join(self.out, f"nginx-{name}")
        shutil.rmtree(d, ignore_errors=True)
        for sub in ("cache", "tmp", "html"):
            os.makedirs(os.path.join(d, sub))
        shutil.copy(os.path.join(self.args.root, "deploy/nginx/html/maintenance.html"), os.path.join(d, "html"))
        values = {
            "KH_PROXY_LISTEN": f"{HOST}:{self.ports[name]}",
            "KH_HTTP_SERVERS": " ".join(f"server {HOST}:{self.ports[n]} max_fails=1 fail_timeout=10s;" for n in nodes),
            "KH_WS_SERVERS": " ".join(
                f"server {HOST}:{self.ports[n + '_ws']} max_fails=1 fail_timeout=10s;" for n in nodes
            ),
            "KH_CACHE_DIR": os.path.join(d, "cache"),
            "KH_MAINTENANCE_ROOT": os.path.join(d, "html"),
        }
        with open(os.path.join(d, "klusheeren.conf"), "w") as f:
            f.write(render(os.path.join(self.args.root, "deploy/nginx/templates/klusheeren.conf.template"), values))
        # the main file that the nginx image brings, with paths of its own instead of /var
        tmp = os.path.join(d, "tmp")
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(f"""{"user www-data;" if self.is_root else ""}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    sendfile on;
    keepalive_timeout 65;
    include {d}/klusheeren.conf;
}}
""")
        if self.is_root:
            for root, dirs, _files in os.walk(d):
                for sub in dirs:
                    shutil.chown(os.path.join(root, sub), "www-data", "www-data")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        test = subprocess.run(
            [nginx, "-t", "-q", "-p", d, "-c", os.path.join(d, "nginx.conf")], capture_output=True, text=True
        )
        if test.returncode:
            raise SystemExit(f"nginx -t failed: {test.stderr}")
        self.procs[name] = Proc(
            name, [nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-g", "daemon off;"], os.path.join(d, "nginx")
        )
        self.wait_http(self.url(name, "/nginx-health"), name)

    # -- Odoo nodes --------------------------------------------------------------------------------------
    def start_node(self, name, cron_threads, workers=None):
        """A node with a data_dir of its own (as on its own machine); only filestore/ is shared."""
        data = os.path.join(self.out, f"node-{name}-data")
        os.makedirs(data, exist_ok=True)
        link = os.path.join(data, "filestore")
        if not os.path.islink(link):
            os.symlink(os.path.join(self.data_dir, "filestore"), link)
        logfile = os.path.join(self.out, f"node-{name}.log")
        self.log_offsets[name] = os.path.getsize(logfile) if os.path.exists(logfile) else 0
        env = dict(
            os.environ,
            SESSION_DB_URI=(
                f"postgresql://{self.args.db_user}@{HOST}:{self.ports['pgbouncer']}/{self.args.session_db}"
            ),
        )
        if self.args.without_session_db:
            env.pop("SESSION_DB_URI")
        a = self.args
        cmd = [
            sys.executable,
            os.path.join(a.root, "bench/odoo_launcher.py"),
            "-c",
            a.odoo_conf,
            "-d",
            a.db,
            f"--db-filter=^{a.db}$",
            f"--data-dir={data}",
            "--load=base,web" if a.without_session_db else "--load=base,web,session_db",
            "--proxy-mode",
            f"--db_host={HOST}",
            f"--db_port={self.ports['pgbouncer']}",
            f"--db_user={a.db_user}",
            "--db_maxconn=16",
            "--db_maxconn_gevent=32",
            f"--http-interface={HOST}",
            f"--http-port={self.ports[name]}",
            f"--gevent-port={self.ports[name + '_ws']}",
            f"--workers={workers or a.workers}",
            f"--max-cron-threads={cron_threads}",
            "--limit-time-real=300",
            "--limit-time-cpu=200",
            "--limit-request=100000",
            f"--limit-memory-soft={2048 * 1024 * 1024}",
            f"--limit-memory-hard={2560 * 1024 * 1024}",
            f"--smtp={HOST}",
            f"--smtp-port={self.ports['smtp']}",
            "--log-level=warn",
            "--log-handler=odoo.addons.base.models.ir_cron:INFO",
            f"--logfile={logfile}",
        ]
        self.procs[name] = Proc(name, cmd, logfile, env=env)

    def wait_http(self, url, name, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if name in self.procs and not self.procs[name].alive():
                raise SystemExit(f"{name} stopped, see {self.procs[name].logfile}")
            time.sleep(0.5)
        raise SystemExit(f"{url} did not answer within {timeout} s")

    def start_nodes(self, cron_threads, names=("a", "b"), workers=None):
        for n in names:
            self.start_node(n, cron_threads, workers)
        for n in names:
            self.wait_http(self.url(n, "/web/health?db_server_status=1"), n)
            self.wait_http(f"http://{HOST}:{self.ports[n + '_ws']}/websocket/health", n)
        # first requests load the registry and compile the assets: once per node, not measured
        for n in names:
            requests.get(self.url(n, self.args.qr), headers=NL, timeout=120)

    def stop(self, *names, sig=signal.SIGTERM):
        # the nodes before PgBouncer: a node that loses its database on the way out logs errors
        for name in names or sorted(self.procs, key=lambda n: n == "pgbouncer"):
            proc = self.procs.pop(name, None)
            if proc:
                proc.kill(sig)


# -- client helpers --------------------------------------------------------------------------------------
def login(base, user, password):
    s = requests.Session()
    s.headers.update(NL)
    page = s.get(base + "/web/login", timeout=30)
    csrf = CSRF_RE.search(page.text).group(1)
    r = s.post(
        base + "/web/login",
        data={"login": user, "password": password, "csrf_token": csrf},
        allow_redirects=False,
        timeout=30,
    )
    if r.status_code != 303:
        raise Failed(f"login of {user} on {base} answered {r.status_code}")
    return s


def rpc(session, base, route, params):
    r = session.post(base + route, json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)
    r.raise_for_status()
    body = r.json()
    if "error" in body:
        raise Failed(f"{route}: {body['error'].get('data', {}).get('message') or body['error']}")
    return body["result"]


def session_uid(session, base):
    """The user of the session on that node, None when it has none (Odoo answers 'Session expired')."""
    r = session.post(
        base + "/web/session/get_session_info", json={"jsonrpc": "2.0", "method": "call", "params": {}}, timeout=60
    )
    body = r.json()
    if "error" in body:
        if "SessionExpired" in body["error"].get("data", {}).get("name", ""):
            return None
        raise Failed(f"get_session_info on {base}: {body['error']}")
    return body["result"].get("uid")


def call_kw(session, base, model, method, args, kwargs=None):
    return rpc(
        session,
        base,
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
    )


def post_report(session, base, qr, marker, photo=None, email_addr=None, headers=None, csrf=None):
    if csrf is None:
        csrf = CSRF_RE.search(session.get(base + qr, timeout=60).text).group(1)
    files = [("attachments", ("foto.jpg", photo, "image/jpeg"))] if photo else None
    return session.post(
        base + qr,
        data={
            "csrf_token": csrf,
            "idempotency_key": str(uuid.uuid4()),  # a new report each time (issue 21)
            "description": f"Multinode {marker}: de koffieautomaat lekt.",
            "name": "Multinode Melder",
            "email": email_addr or f"{marker.lower()}@example.com",
            "phone": "0201234567",
        },
        files=files,
        headers=headers,
        allow_redirects=False,
        timeout=120,
    )


def report_session():
    s = requests.Session()
    s.headers.update(NL)
    return s


# -- the checks ------------------------------------------------------------------------------------------
def check_login(c, results):
    log("1. login on node A, valid on node B")
    s = report_session()
    s.get(c.url("a", "/web/login"), timeout=30)
    check(
        s.cookies.get("session_id") and session_uid(s, c.url("b")) is None,
        "B knows no user for a session of A that did not log in",
    )
    s = login(c.url("a"), "backoffice", "backoffice")
    uid_a = session_uid(s, c.url("a"))
    check(uid_a and session_uid(s, c.url("b")) == uid_a, f"the session cookie of A is user {uid_a} on B too")
    r = s.get(c.url("b", "/odoo"), timeout=60, allow_redirects=False)
    check(r.status_code == 200, "B serves the back office to that session (GET /odoo 200, no redirect to login)")
    sid = s.cookies.get("session_id")
    rows = c.sql("select count(*) from http_sessions where sid = %s", (sid,), db=c.args.session_db)
    check(rows[0][0] == 1, "the session is a row of http_sessions in PostgreSQL (OCA session_db)")
    files = [
        f for n in ("a", "b") for _r, _d, fs in os.walk(os.path.join(c.out, f"node-{n}-data", "sessions")) for f in fs
    ]
    check(not files, "no session file in either node's data_dir")
    results["login"] = {"uid": uid_a}
    return s, uid_a


def run_intake(c):
    """The intake job that makes the tickets of the accepted reports, once, on node A (this part
    of the check runs without cron workers): as the back office's "Run manually" of the job."""
    cron_id = c.sql(
        "select res_id from ir_model_data where module = 'klusheeren_portal' and name = 'ir_cron_report_intake'"
    )[0][0]
    call_kw(login(c.url("a"), "admin", "admin"), c.url("a"), "ir.cron", "method_direct_trigger", [[cron_id]])


def wait_for_intake(c):
    """Until the nodes' intake jobs have made the tickets of every accepted report (or the timeout)."""
    deadline = time.monotonic() + args_timeout(c)
    while (
        time.monotonic() < deadline and c.sql(f"select count(*) from klusheeren_report_submission where {QUEUED}")[0][0]
    ):
        time.sleep(1)


def check_photo(c, results):
    log("2. a report with a photo posted on A; B shows the photo on the contractor page")
    photo = jpeg(256, 15)
    s = report_session()
    marker = f"PHOTO{random.randrange(10**9)}"
    r = post_report(s, c.url("a"), c.args.qr, marker, photo=photo)
    check(
        r.status_code == 303 and r.headers["Location"].endswith("/thanks"), "A answers the report with 303 to /thanks"
    )
    thanks = s.get(c.url("b", c.args.qr + "/thanks"), timeout=60, allow_redirects=False)
    number = c.sql("select number from klusheeren_report_submission where description like %s", (f"%{marker}%",))[0][0]
    check(
        thanks.status_code == 200 and number in thanks.text,
        f"B shows the thanks page of report {number} (the report kept in the DB session)",
    )
    run_intake(c)
    check(
        c.sql("select count(*) from helpdesk_ticket where number = %s", (number,))[0][0] == 1,
        f"the intake job made ticket {number}, with the number the reporter was given",
    )
    wo_id, token = c.sql(
        "select w.id, w.access_token from klusheeren_work_order w join helpdesk_ticket t "
        "on t.id = w.ticket_id where t.description like %s",
        (f"%{marker}%",),
    )[0]
    page = report_session().get(c.url("b", f"/my/work-orders/{wo_id}?access_token={token}"), timeout=60)
    links = re.findall(rf"/my/work-orders/{wo_id}/file/(\d+)", page.text)
    check(page.status_code == 200 and links, f"B's contractor page of work order {wo_id} links the photo")
    got = report_session().get(c.url("b", f"/my/work-orders/{wo_id}/file/{links[0]}?access_token={token}"), timeout=60)
    check(
        got.status_code == 200 and hashlib.sha256(got.content).digest() == hashlib.sha256(photo).digest(),
        f"B serves the photo from the shared filestore, byte for byte ({len(photo)} bytes)",
    )
    results["photo"] = {"ticket": number, "work_order_id": wo_id}


def check_bus(c, s, uid, results):
    log("3. a notification sent through A reaches a websocket client connected to B")
    # the version the web client sends, read from the bus addon's source (without importing it)
    import odoo  # the package only, for where its addons are

    dirs = c._conf_value("addons_path").split(",") + [
        os.path.join(d, sub) for d in odoo.__path__ for sub in ("addons", "../addons")
    ]
    source = next(p for p in (os.path.join(d.strip(), "bus", "websocket.py") for d in dirs) if os.path.exists(p))
    version = re.search(r'_VERSION = "([^"]+)"', open(source).read()).group(1)
    last = c.sql("select coalesce(max(id), 0) from bus_bus")[0][0]
    clients = {  # B's websocket (gevent) port itself, and the proxy's /websocket
        "B": (f"ws://{HOST}:{c.ports['b_ws']}/websocket?version={version}", c.url("b")),
        "the proxy": (f"ws://{HOST}:{c.ports['proxy2']}/websocket?version={version}", c.url("proxy2")),
    }
    sockets = {}
    try:
        for name, (url, origin) in clients.items():
            sockets[name] = websocket.create_connection(
                url, cookie=f"session_id={s.cookies.get('session_id')}", origin=origin, timeout=20
            )
            sockets[name].send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": last}}))
        time.sleep(0.5)  # the subscriptions are registered in the dispatchers
        settings = call_kw(s, c.url("a"), "res.users.settings", "search", [[["user_id", "=", uid]]])
        if not settings:
            settings = [call_kw(s, c.url("a"), "res.users.settings", "create", [{"user_id": uid}])]
        value = random.randrange(100, 10**6)
        t0 = time.perf_counter()
        call_kw(
            s, c.url("a"), "res.users.settings", "set_res_users_settings", [settings, {"voice_active_duration": value}]
        )
        received = {}
        for name, ws in sockets.items():
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and name not in received:
                try:
                    frame = ws.recv()
                except websocket.WebSocketTimeoutException:
                    break
                for n in json.loads(frame) if frame else []:
                    message = n.get("message", {})
                    if (
                        message.get("type") == "res.users.settings"
                        and message.get("payload", {}).get("voice_active_duration") == value
                    ):
                        received[name] = time.perf_counter() - t0
    finally:
        for ws in sockets.values():
            ws.close()
    for name in clients:
        check(
            name in received,
            f"the websocket client connected to {name} received the notification sent through A "
            f"({received.get(name, 0) * 1000:.0f} ms after the request to A was sent)",
        )
    results["bus_ms"] = {k: round(v * 1000) for k, v in received.items()}


def check_proxy(c, results):
    log("4. the proxy: X-Forwarded-For overwritten, gzip, static files cached")
    s = report_session()
    marker = f"XFF{random.randrange(10**9)}"
    counted = "select coalesce(sum(count), 0) from klusheeren_report_attempt where key = %s"
    before = c.sql(counted, [f"addr:{HOST}"])[0][0]
    r = post_report(s, c.url("proxy2"), c.args.qr, marker, headers={"X-Forwarded-For": "203.0.113.7"})
    check(r.status_code == 303, "a report through the proxy with a forged X-Forwarded-For is accepted")
    after = c.sql(counted, [f"addr:{HOST}"])[0][0]
    forged = c.sql(counted, ["addr:203.0.113.7"])[0][0]
    check(
        after == before + 1 and not forged, f"the rate limit counted it for the real client {HOST}, not for 203.0.113.7"
    )
    page = s.get(c.url("proxy2", c.args.qr), headers={"Accept-Encoding": "gzip"}, timeout=60)
    check(page.headers.get("Content-Encoding") == "gzip", "the report form comes gzipped")
    # the light page's own stylesheet (issue 21), or an asset bundle: static files the proxy caches
    asset = re.search(r'(?:src|href)="(/(?:web/assets/|[a-z_]+/static/)[^"]+)"', page.text)
    check(asset, "the report form loads a static file (its stylesheet)")
    statuses = [s.get(c.url("proxy2", asset.group(1)), timeout=60).headers.get("X-Cache-Status") for _ in range(2)]
    check(
        statuses[-1] == "HIT",
        f"the proxy serves {asset.group(1)[:40]}... from its cache ({' then '.join(map(str, statuses))})",
    )


def rate_limit_burst(c, admin, results, burst=12, limit=5):
    """Concurrent reports from one address, spread over both nodes, against the limit."""
    log(f"   a burst of {burst} concurrent reports from one address, limit {limit} per address")
    call_kw(
        admin, c.url("a"), "ir.config_parameter", "set_param", ["klusheeren_portal.rate_limit_per_address", str(limit)]
    )
    c.sql("delete from klusheeren_report_attempt")
    sessions = []
    for i in range(burst):
        s = report_session()
        base = c.url("a" if i % 2 else "b")
        sessions.append((s, base, CSRF_RE.search(s.get(base + c.args.qr, timeout=60).text).group(1)))
    barrier = threading.Barrier(burst)

    def one(i):
        s, base, csrf = sessions[i]
        barrier.wait(10)
        return post_report(s, base, c.args.qr, f"BURST{i}x{random.randrange(10**6)}", csrf=csrf).status_code

    with concurrent.futures.ThreadPoolExecutor(burst) as pool:
        codes = list(pool.map(one, range(burst)))
    call_kw(
        admin,
        c.url("b"),
        "ir.config_parameter",
        "set_param",
        ["klusheeren_portal.rate_limit_per_address", str(MAX_LIMIT)],
    )
    passed = codes.count(303)
    log(f"   {passed} of {burst} passed (limit {limit}), {codes.count(429)} refused with 429")
    # fixed 10-minute windows: a burst of a second crosses a boundary once in ~600 runs (then 2 x limit)
    check(passed <= limit, f"the rate limit held under concurrency on two nodes: {passed} <= {limit}")
    check(all(x in (303, 429) for x in codes), f"every answer was a success or a 429: {sorted(set(codes))}")
    results["rate_limit_burst"] = {
        "burst": burst,
        "limit": limit,
        "passed": passed,
        "refused": codes.count(429),
        "other": [x for x in codes if x not in (303, 429)],
    }


def server_cpu_seconds(c):
    """CPU time used so far by everything that serves a request, per part: the Odoo nodes (all their
    processes), nginx, PgBouncer and the PostgreSQL cluster's backends."""
    groups = {
        proc.popen.pid: ("odoo" if name in ("a", "b") else "nginx" if name.startswith("proxy") else name)
        for name, proc in c.procs.items()
    }
    with open(os.path.join(os.path.dirname(c.args.pg_socket), "pgdata", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    parts = dict.fromkeys(("odoo", "nginx", "pgbouncer", "postgresql"), 0.0)
    for p in psutil.process_iter(["pid", "ppid"]):
        try:
            part = "postgresql" if postmaster in (p.pid, p.info["ppid"]) else groups.get(os.getpgid(p.pid))
            if part:
                t = p.cpu_times()
                parts[part] += t.user + t.system
        except (psutil.Error, ProcessLookupError):
            pass
    return parts


def throughput(c, label, proxy, args, results):
    """The contractor page (4 clients) and the report POST with a 1 MB photo (10 reporters) through the
    proxy, closed loop, with bench/load.py's Scenario; and the server side's CPU time per request."""
    sys.path.insert(0, os.path.join(args.root, "bench"))
    import load

    log(f"5. throughput through the proxy, {label}")
    base = c.url(proxy)
    photo = load.photo_1mb()

    def post_setup(session):
        session.headers.update(NL)
        return CSRF_RE.search(session.get(base + args.qr, timeout=60).text).group(1)

    def post(session, csrf):
        return post_report(session, base, args.qr, f"LOAD{random.randrange(10**9)}", photo=photo, csrf=csrf)

    scenarios = [
        load.Scenario("work_order_get", lambda s, _st: s.get(base + args.wo, timeout=60, allow_redirects=False), 4),
        load.Scenario("qr_post_1mb", post, 10, setup=post_setup, expect=303),
    ]
    cpus = os.cpu_count() or 1
    row = {}
    for sc, total in zip(scenarios, (args.gets, args.posts), strict=True):
        sc.run(2 * sc.concurrency, record=False)  # warm-up: sessions, CSRF tokens, caches
        cpu0 = server_cpu_seconds(c)
        sc.run(total)
        parts = {k: v - cpu0[k] for k, v in server_cpu_seconds(c).items()}
        cpu = sum(parts.values())
        r = sc.result()
        wall = r["requests"] / r["rps"] if r["rps"] else float("nan")
        if r["errors"]:
            raise Failed(f"{label}: {r['errors']} of {sc.name} failed, e.g. {r['error_samples']}")
        row[sc.name] = {
            "requests": r["requests"],
            "concurrency": sc.concurrency,
            "rps": round(r["rps"], 1),
            "rps_per_core": round(r["rps"] / cpus, 1),
            "p50_ms": round(r["p50_ms"]),
            "p95_ms": round(r["p95_ms"]),
            "server_cpu_ms": round(cpu * 1000 / r["requests"]),
            "per_cpu_second": round(r["requests"] / cpu, 1) if cpu else None,
            "client_cpu_share": round(r["client_cpu_share"], 2),
            # how many of the machine's cores the server side got: on a shared machine, fewer than all
            "server_cores_used": round(cpu / wall, 2),
            "load_average": round(os.getloadavg()[0], 1),
            "server_cpu_ms_by_part": {k: round(v * 1000 / r["requests"], 1) for k, v in parts.items()},
        }
        v = row[sc.name]
        log(
            f"  {label}: {sc.name:<15} {v['rps']:6.1f} req/s = {v['rps_per_core']:.1f} per core of {cpus}; "
            f"p50 {v['p50_ms']} ms, p95 {v['p95_ms']} ms; server CPU {v['server_cpu_ms']} ms a request "
            f"= {v['per_cpu_second']} per CPU-second; the server side used {v['server_cores_used']} cores "
            f"(load average {v['load_average']}), the load client {v['client_cpu_share']:.0%} of the CPUs; CPU ms a "
            f"request: " + ", ".join(f"{k} {ms}" for k, ms in v["server_cpu_ms_by_part"].items())
        )
    results.setdefault("throughput", {}).setdefault(label, []).append(row)


def check_cron_once(c, results, reports=24, waves=6):
    log("6. both nodes run the cron: every queued e-mail is sent exactly once")
    # the throughput reports' e-mails are not part of this check: the sending job skips them
    c.sql("update klusheeren_work_order set mail_pending = false where mail_pending")
    c.sql("update helpdesk_ticket set klusheeren_ack_pending = false where klusheeren_ack_pending")
    c.sql("update mail_mail set state = 'cancel' where state = 'outgoing'")
    # nor are their tickets: the reports the throughput step left to the intake job are dropped
    c.sql(f"delete from klusheeren_report_submission where {QUEUED}")
    c.stop("a", "b")
    c.start_nodes(cron_threads=1)
    sink_before = len(c.sink.messages)
    markers = []
    for wave in range(waves):

        def one(i, wave=wave):
            marker = f"CRON{wave}x{i}x{random.randrange(10**6)}"
            r = post_report(report_session(), c.url("proxy2"), c.args.qr, marker)
            return marker if r.status_code == 303 else None

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            markers += list(pool.map(one, range(reports // waves)))
        time.sleep(3)
    check(all(markers), f"{len(markers)} reports posted through the proxy in {waves} waves")
    wait_for_intake(c)  # the intake job of either node makes the tickets
    rows = c.sql(
        "select t.number, lower(r.email), w.name, lower(p.email), t.description from helpdesk_ticket t "
        "join res_partner r on r.id = t.partner_id "
        "join klusheeren_work_order w on w.ticket_id = t.id join res_partner p on p.id = w.contractor_id "
        "where t.description like %s",
        ("%Multinode CRON%",),
    )
    rows = [r[:4] for r in rows if any(f"Multinode {m}:" in r[4] for m in markers)]
    check(len(rows) == len(markers), f"{len(rows)} tickets with a work order to a contractor")
    deadline = time.monotonic() + args_timeout(c)
    while time.monotonic() < deadline:
        pending = c.sql(
            "select (select count(*) from klusheeren_work_order where mail_pending),"
            " (select count(*) from helpdesk_ticket where klusheeren_ack_pending),"
            " (select count(*) from mail_mail where state = 'outgoing')"
        )[0]
        if not any(pending) and len(c.sink.messages) - sink_before >= 2 * len(rows):
            break
        time.sleep(1)
    time.sleep(3)  # anything sent twice would arrive now
    msgs = c.sink.messages[sink_before:]
    wo_counts = [
        sum(1 for m in msgs if wo in m["subject"] and contractor in m["to"]) for _n, _e, wo, contractor in rows
    ]
    ack_counts = [
        sum(1 for m in msgs if number in m["subject"] and reporter in m["to"]) for number, reporter, _w, _c in rows
    ]
    jobs = {}
    for n in ("a", "b"):
        text = open(os.path.join(c.out, f"node-{n}.log")).read()
        done = re.findall(r"Job '([^']*)' \(\d+\) (?:fully|partially) done", text[c.log_offsets[n] :])
        jobs[n] = {
            "sending_job": sum(1 for j in done if j.startswith("KlusHeeren: e-mail new tickets")),
            "mail_queue": done.count("Mail: Email Queue Manager"),
            "all_jobs": len(done),
        }
    log(
        f"  sending job runs: node A {jobs['a']['sending_job']}, node B {jobs['b']['sending_job']}; "
        f"mail queue runs: node A {jobs['a']['mail_queue']}, node B {jobs['b']['mail_queue']}"
    )
    check(
        wo_counts and all(n == 1 for n in wo_counts),
        f"each of the {len(rows)} work order e-mails reached its contractor exactly once "
        f"(counts {sorted(set(wo_counts))})",
    )
    check(
        ack_counts and all(n == 1 for n in ack_counts),
        f"each of the {len(rows)} confirmations reached its reporter exactly once (counts {sorted(set(ack_counts))})",
    )
    check(
        all(j["all_jobs"] for j in jobs.values()),
        f"the cron workers of both nodes ran jobs (A {jobs['a']['all_jobs']}, B {jobs['b']['all_jobs']})",
    )
    results["cron"] = {"reports": len(rows), "messages": len(msgs), "jobs": jobs}


def args_timeout(c):
    return c.args.cron_timeout


def check_kill(c, results, clients=4, seconds=14.0, kill_at=4.0):
    log(
        f"7. node A killed (SIGKILL) {kill_at:.0f} s into {seconds:.0f} s of reports"
        f" by {clients} clients through the proxy"
    )
    outcomes = []  # (marker, started, status)
    lock = threading.Lock()
    t0 = time.monotonic()
    killed = {}

    def client(i):
        s = report_session()
        n = 0
        while time.monotonic() - t0 < seconds and n < 500:
            n += 1
            marker = f"KILL{i}x{n}x{random.randrange(10**6)}"
            started = time.monotonic() - t0
            try:
                status = post_report(s, c.url("proxy2"), c.args.qr, marker).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                outcomes.append((marker, started, status))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(kill_at)
    killed["at"] = time.monotonic() - t0
    c.stop("a", sig=signal.SIGKILL)
    for t in threads:
        t.join(120)
    ok = [m for m, _s, st in outcomes if st == 303]
    failed = [(m, st) for m, _s, st in outcomes if st != 303]
    # the accepted reports become tickets by the intake job of node B (one that node A was making when
    # it was killed is tried again after a minute)
    wait_for_intake(c)
    found = {
        r[0]
        for r in c.sql(
            "select substring(description from 'KILL[0-9]+x[0-9]+x[0-9]+') from helpdesk_ticket "
            "where description like %s",
            ("%Multinode KILL%",),
        )
    }
    missing = [m for m in ok if m not in found]
    after = [(m, st) for m, s, st in outcomes if s > killed["at"] + 1.0]
    log(
        f"  {len(outcomes)} reports sent, {len(ok)} answered 303, {len(failed)} failed "
        f"({sorted({str(st) for _m, st in failed})}); of the failed,"
        f" {sum(1 for m, _ in failed if m in found)} are in the DB"
    )
    check(ok and not missing, f"every one of the {len(ok)} reports answered with success is in the database")
    check(
        after and all(st == 303 for _m, st in after),
        f"all {len(after)} reports sent from 1 s after the kill on succeeded (through B)",
    )
    page = report_session().get(c.url("proxy2", c.args.wo), timeout=60)
    check(page.status_code == 200, "the proxy still serves the contractor page (through B)")
    results["kill"] = {
        "sent": len(outcomes),
        "ok": len(ok),
        "failed": len(failed),
        "failed_statuses": sorted({str(st) for _m, st in failed}),
        "failed_but_in_db": sum(1 for m, _ in failed if m in found),
        "after_kill": len(after),
        "killed_at_s": round(killed["at"], 1),
    }


def pgbouncer_pools(c, results):
    """Client and server connections per database, from PgBouncer's admin console."""
    cnx = psycopg2.connect(host=HOST, port=c.ports["pgbouncer"], user=c.args.db_user, dbname="pgbouncer")
    cnx.autocommit = True
    with cnx.cursor() as cr:
        cr.execute("SHOW POOLS")
        cols = [d[0] for d in cr.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cr.fetchall()]
    cnx.close()
    pools = {}
    for r in rows:
        if r["database"] == "pgbouncer":
            continue
        pools[r["database"]] = {
            "clients": r["cl_active"] + r["cl_waiting"],
            "waiting": r["cl_waiting"],
            "server": r["sv_active"] + r["sv_idle"] + r["sv_used"] + r.get("sv_tested", 0) + r.get("sv_login", 0),
            "mode": r.get("pool_mode"),
        }
    log(
        "  PgBouncer, both nodes up with their cron workers: "
        + "; ".join(
            f"{db} ({v['mode']}): {v['clients']} client / {v['server']} server connections" for db, v in pools.items()
        )
    )
    results["pgbouncer_pools"] = pools


def server_errors(c, names):
    count = {}
    for n in names:
        path = os.path.join(c.out, f"node-{n}.log")
        text = open(path).read() if os.path.exists(path) else ""
        count[n] = len(re.findall(r" (?:ERROR|CRITICAL) ", text)) + text.count("Traceback")
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("root", "db", "session-db", "pg-socket", "db-user", "odoo-conf", "out", "qr", "wo", "baseline"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--base-port", type=int, default=8470)
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers per node")
    parser.add_argument("--gets", type=int, default=200, help="contractor page requests in each throughput run")
    parser.add_argument("--posts", type=int, default=80, help="reports posted in each throughput run")
    parser.add_argument("--rounds", type=int, default=1, help="throughput runs of each setup (alternating)")
    parser.add_argument("--cron-timeout", type=float, default=240.0)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI: 60 page requests and 30 reports per throughput run, no run of one node with the workers of two",
    )
    parser.add_argument(
        "--without-session-db",
        action="store_true",
        help="sessions in each node's own data_dir, as Odoo keeps them by default: check 1 must fail",
    )
    args = parser.parse_args()
    if args.quick:
        args.gets, args.posts = min(args.gets, 60), min(args.posts, 30)
    # `timeout` (CI) and Ctrl-C stop the run through the finally below: no node, nginx or PgBouncer is left behind
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    c = Cluster(args)
    for f in os.listdir(args.out):
        if f.startswith(("node-", "load-")) and (f.endswith((".log", ".out", ".json", ".txt"))):
            os.remove(os.path.join(args.out, f))
    results = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "workers_per_node": args.workers}
    rc = 0
    try:
        c.sink = Sink(c.ports["smtp"])
        c.start_pgbouncer()
        log(
            f"PgBouncer on {HOST}:{c.ports['pgbouncer']} (transaction pools: {args.db}, {args.session_db}; "
            "session pool: postgres)"
        )
        c.start_nodes(cron_threads=0)
        log(
            f"nodes A {c.url('a')} (websocket :{c.ports['a_ws']}) and B {c.url('b')} (websocket :{c.ports['b_ws']}), "
            f"{args.workers} workers each, no cron"
        )
        c.start_proxy("proxy2", ["a", "b"])
        c.start_proxy("proxy1", ["a"])
        log(f"nginx: {c.url('proxy2')} -> A and B, {c.url('proxy1')} -> A alone")
        s, uid = check_login(c, results)
        check_photo(c, results)
        check_bus(c, s, uid, results)
        check_proxy(c, results)
        rate_limit_burst(c, login(c.url("a"), "admin", "admin"), results)
        for _ in range(args.rounds):
            throughput(c, "one node", "proxy1", args, results)
            throughput(c, "two nodes", "proxy2", args, results)
        if not args.quick:
            # as many workers on one node as on two together: what the second node adds beyond workers
            c.stop("a")
            c.start_nodes(cron_threads=0, names=("a",), workers=2 * args.workers)
            throughput(c, f"one node, {2 * args.workers} workers", "proxy1", args, results)
        check_cron_once(c, results)
        pgbouncer_pools(c, results)
        errors = server_errors(c, ("a", "b"))
        check(not any(errors.values()), f"no ERROR or traceback in the nodes' logs ({errors})")
        check_kill(c, results)
        errors = server_errors(c, ("b",))
        check(not errors["b"], "no ERROR or traceback in node B's log after A was killed")
        log("PASSED: every check of the multi-node proof holds")
    except Failed as exc:
        log(f"FAILED: {exc}")
        rc = 1
    finally:
        c.stop()
        if getattr(c, "sink", None):
            c.sink.stop()
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(results, f, indent=2)
        log(f"results in {os.path.join(args.out, 'results.json')}; logs in {args.out}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
