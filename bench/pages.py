"""Lighthouse on the public phone pages (issue 21); bench/pages.sh prepares the demo and runs this.

For each public page of the demo that `make run` serves (QR form, free sticker, unknown sticker, contractor's
work order page, reporter's ticket page, rating page, complaint page, pre-visit page), directly and through the
shipped nginx configuration (deploy/nginx/templates/klusheeren.conf.template: gzip, static cache), Lighthouse
12.2.3 (npm) with Debian's Chromium, mobile defaults (simulated slow 4G, 4x CPU slowdown), empty cache.
Prints a Markdown table per setup: transferred bytes, performance score, FCP, LCP, TBT, CLS, accessibility.
Raw reports in .local/pages/<setup>-<page>.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from multinode import render

CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
BUDGET = {"direct": 100_000, "nginx": 60_000}


def start_nginx(root, out, listen, upstream):
    d = os.path.join(out, "nginx")
    shutil.rmtree(d, ignore_errors=True)
    for sub in ("cache", "tmp", "html"):
        os.makedirs(os.path.join(d, sub))
    shutil.copy(os.path.join(root, "deploy/nginx/html/maintenance.html"), os.path.join(d, "html"))
    values = {
        "KH_PROXY_LISTEN": listen,
        "KH_HTTP_SERVERS": f"server {upstream} max_fails=1 fail_timeout=10s;",
        "KH_WS_SERVERS": f"server {upstream};",
        "KH_CACHE_DIR": os.path.join(d, "cache"),
        "KH_MAINTENANCE_ROOT": os.path.join(d, "html"),
    }
    with open(os.path.join(d, "klusheeren.conf"), "w") as f:
        f.write(render(os.path.join(root, "deploy/nginx/templates/klusheeren.conf.template"), values))
    tmp = os.path.join(d, "tmp")
    user = "user root;" if os.geteuid() == 0 else ""
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(f"""{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
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
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-g", "daemon off;"])
    for _i in range(50):
        try:
            urllib.request.urlopen(f"http://{listen}/nginx-health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("nginx did not start; see " + os.path.join(d, "error.log"))


def lighthouse(lh_cli, url, out_json):
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    cmd = [
        "node",
        lh_cli,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out_json}",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]
    subprocess.run(cmd, env=env, check=True, timeout=300)
    with open(out_json) as f:
        report = json.load(f)
    audits = report["audits"]
    cats = report["categories"]

    def num(key):
        return audits[key].get("numericValue") or 0

    return {
        "bytes": int(num("total-byte-weight")),
        "requests": len(audits.get("network-requests", {}).get("details", {}).get("items", [])),
        "score": cats["performance"]["score"],
        "fcp": num("first-contentful-paint") / 1000,
        "lcp": num("largest-contentful-paint") / 1000,
        "tbt": num("total-blocking-time"),
        "cls": num("cumulative-layout-shift"),
        "a11y": cats["accessibility"]["score"],
    }


def table(rows):
    lines = [
        "| page | requests | transferred | performance | FCP | LCP | TBT | CLS | accessibility |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['requests']} | {r['bytes'] / 1000:.1f} kB | {r['score']:.2f} | {r['fcp']:.1f} s "
            f"| {r['lcp']:.1f} s | {r['tbt']:.0f} ms | {r['cls']:.3f} | {r['a11y']:.2f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--base", required=True, help="the demo as make run serves it, http://127.0.0.1:8069")
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--lighthouse", required=True, help="lighthouse/cli/index.js")
    parser.add_argument("--out", required=True)
    parser.add_argument("--pages", required=True, help="JSON {name: path}")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    pages = json.loads(args.pages)
    os.makedirs(args.out, exist_ok=True)
    upstream = args.base.split("://", 1)[1].rstrip("/")
    listen = f"127.0.0.1:{args.proxy_port}"
    nginx = start_nginx(args.root, args.out, listen, upstream)
    results = {}
    over = []
    try:
        for setup, base in (("direct", args.base.rstrip("/")), ("nginx", f"http://{listen}")):
            rows = []
            for name, path in pages.items():
                if not path:
                    continue
                # nginx's static cache starts empty for each page: the first visit of the page is measured
                # with the browser's cache empty (Lighthouse), the proxy's warm as in production
                try:
                    data = lighthouse(args.lighthouse, base + path, os.path.join(args.out, f"{setup}-{name}.json"))
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
                    print(f"{setup:6} {name:22} Lighthouse failed: {e}", flush=True)
                    over.append(f"{setup} {name}: not measured")
                    continue
                rows.append((name, data))
                print(f"{setup:6} {name:22} {json.dumps(data)}", flush=True)
                if data["bytes"] > BUDGET[setup]:
                    over.append(f"{setup} {name}: {data['bytes']} bytes > {BUDGET[setup]}")
            results[setup] = rows
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({k: dict(v) for k, v in results.items()}, f, indent=1)
    for setup, rows in results.items():
        print(f"\n{args.label} {setup} ({'make run' if setup == 'direct' else 'through nginx'}):\n")
        print(table(rows))
    if over:
        print("\nOver the budget:\n  " + "\n  ".join(over))


if __name__ == "__main__":
    main()
