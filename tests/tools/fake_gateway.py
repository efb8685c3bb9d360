#!/usr/bin/env python3
# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local stand-in for MessageBird's ``POST /messages``, for ``make run`` and the tests
(test and demo tooling: not part of any addon).

    python tests/tools/fake_gateway.py --port 8370 --dir .local/sms --key local-demo-key

Each accepted SMS is kept as one JSON file in ``--dir`` (recipient, sender, text, reference).
It listens on 127.0.0.1 only. Standard library only: no Odoo import.
"""

import argparse
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway(ThreadingHTTPServer):
    """The server; ``received`` holds every request as ``(headers, payload)``;
    ``fail_with`` is a list of HTTP statuses answered (and consumed) before accepting again."""

    daemon_threads = True

    def __init__(self, port=0, key="test-key", directory=None):
        super().__init__(("127.0.0.1", port), _Handler)
        self.key = key
        self.directory = directory
        self.received = []
        self.fail_with = []
        self.lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/messages"

    def start(self):
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quiet
        pass

    def _answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        server = self.server
        length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            payload = None
        with server.lock:
            server.received.append((dict(self.headers), payload))
            status = server.fail_with.pop(0) if server.fail_with else None
        if self.path.rstrip("/") != "/messages":
            return self._answer(404, {"errors": [{"code": 20, "description": "not found"}]})
        if self.headers.get("Authorization") != f"AccessKey {server.key}":
            return self._answer(
                401, {"errors": [{"code": 2, "description": "Request not allowed (incorrect access_key)"}]}
            )
        if status:
            return self._answer(status, {"errors": [{"code": 99, "description": "temporary failure"}]})
        if not isinstance(payload, dict) or not payload.get("body") or not payload.get("recipients"):
            return self._answer(
                422,
                {"errors": [{"code": 9, "description": "no (correct) recipients found", "parameter": "recipients"}]},
            )
        recipients = [str(r) for r in payload["recipients"]]
        if not all(r.isdigit() and 8 <= len(r) <= 15 for r in recipients):
            return self._answer(
                422, {"errors": [{"code": 10, "description": "invalid recipient", "parameter": "recipients"}]}
            )
        message_id = uuid.uuid4().hex
        if server.directory:
            os.makedirs(server.directory, exist_ok=True)
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message_id[:8]}.json"
            record = {
                "id": message_id,
                "to": recipients,
                "from": payload.get("originator"),
                "body": payload["body"],
                "reference": payload.get("reference"),
                "received": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            with open(os.path.join(server.directory, name), "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False, indent=1)
        items = [{"recipient": int(r), "status": "sent"} for r in recipients]
        return self._answer(
            201,
            {
                "id": message_id,
                "reference": payload.get("reference"),
                "recipients": {"totalCount": len(items), "totalSentCount": len(items), "items": items},
            },
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--dir", default=".local/sms")
    parser.add_argument("--key", default="local-demo-key")
    args = parser.parse_args()
    server = FakeGateway(args.port, args.key, args.dir)
    # a command-line tool: its one line of output is for the person who started it
    print(f"fake SMS gateway on {server.url}, writing to {args.dir}", flush=True)  # pylint: disable=print-used
    server.serve_forever()


if __name__ == "__main__":
    main()
