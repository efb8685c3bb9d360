"""Load test of the public pages against a running Odoo (bench/run.sh starts one with workers).

Measures, in one run, p50/p95 latency and throughput of
  GET  /qr/<token>                     (the fault report form)
  POST /qr/<token> with a 1 MB photo   (creating a ticket, 10 concurrent reporters)
  GET  /my/work-orders/<id>?access_token=...   (the contractor page)
  GET  /my/ticket/<id>/<token>         (helpdesk_mgmt's own ticket token page: the baseline)
and prints a table with the ratios ours/baseline. Only loopback addresses are accepted as target.
"""

import argparse
import io
import json
import random
import re
import statistics
import sys
import threading
import time
from urllib.parse import urlparse

import requests

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def photo_1mb():
    """A real JPEG of about 1 MB (noise compresses badly, so the size is reached quickly)."""
    from PIL import Image

    rnd = random.Random(42)
    side = 700
    img = Image.frombytes("RGB", (side, side), bytes(rnd.getrandbits(8) for _ in range(side * side * 3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92)
    data = buf.getvalue()
    return data


def run_scenario(name, fn, total, concurrency, setup=None):
    latencies, errors = [], []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        session = requests.Session()
        state = setup(session) if setup else None
        while True:
            with lock:
                try:
                    next(counter)
                except StopIteration:
                    return
            t0 = time.perf_counter()
            try:
                response = fn(session, state)
                ok = response.status_code == 200
            except requests.RequestException as exc:  # a refused connection counts as an error
                ok, response = False, exc
            dt = time.perf_counter() - t0
            with lock:
                (latencies if ok else errors).append(dt if ok else str(getattr(response, "status_code", response)))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if not latencies:
        raise SystemExit(f"{name}: every request failed: {errors[:5]}")
    return {
        "name": name,
        "requests": len(latencies),
        "errors": len(errors),
        "concurrency": concurrency,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "rps": len(latencies) / wall,
        "error_samples": errors[:3],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8079")
    parser.add_argument("--qr", required=True, help="path /qr/<token>")
    parser.add_argument("--wo", required=True, help="path of the contractor page with its token")
    parser.add_argument("--baseline", required=True, help="path of helpdesk_mgmt's ticket token page")
    parser.add_argument("--gets", type=int, default=300, help="requests per GET scenario")
    parser.add_argument("--posts", type=int, default=100, help="reports posted")
    parser.add_argument("--concurrency", type=int, default=4, help="clients of the GET scenarios")
    parser.add_argument("--post-concurrency", type=int, default=10)
    parser.add_argument("--json", help="write the results to this file too")
    args = parser.parse_args()
    host = urlparse(args.base).hostname
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("bench/load.py only targets loopback addresses")

    def get(path):
        return lambda session, state: session.get(args.base + path, timeout=60)

    photo = photo_1mb()

    def post_setup(session):
        page = session.get(args.base + args.qr, timeout=60)
        match = CSRF_RE.search(page.text)
        if not match:
            raise SystemExit("no csrf_token on the report form")
        return match.group(1)

    def post(session, csrf):
        n = random.randrange(10**9)
        return session.post(
            args.base + args.qr,
            data={
                "csrf_token": csrf,
                "description": f"Benchmark: het apparaat lekt water (#{n}).",
                "name": "Bench Reporter",
                "email": "bench.reporter@example.com",
                "phone": "0201234567",
            },
            files=[("attachments", ("foto.jpg", photo, "image/jpeg"))],
            timeout=120,
        )

    results = []
    for name, path in (("baseline", args.baseline), ("qr_get", args.qr), ("work_order_get", args.wo)):
        run_scenario(name, get(path), 10, 1)  # warm-up: caches, assets, worker start
        results.append(run_scenario(name, get(path), args.gets, args.concurrency))
    results.append(run_scenario("qr_post_1mb", post, args.posts, args.post_concurrency, setup=post_setup))

    base = results[0]
    print()
    print(f"photo {len(photo) / 1e6:.2f} MB; GET scenarios at concurrency {args.concurrency}, "
          f"POST at {args.post_concurrency}")
    print(f"{'scenario':<18}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'p50/base':>10}{'p95/base':>10}")
    for r in results:
        print(f"{r['name']:<18}{r['requests']:>9}{r['errors']:>7}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['rps']:>8.1f}{r['p50_ms'] / base['p50_ms']:>10.2f}{r['p95_ms'] / base['p95_ms']:>10.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    failed = [r for r in results if r["errors"]]
    for r in failed:
        print(f"{r['name']}: {r['errors']} failed requests, e.g. {r['error_samples']}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
