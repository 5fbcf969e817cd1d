#!/usr/bin/env python3
"""A faulty HTTP layer in front of a Kinesis server, for the fault tests.

  faulty_proxy.py UPSTREAM_URL        prints "listening on http://127.0.0.1:PORT", then serves

Forwards Kinesis JSON 1.1 requests to UPSTREAM_URL, except that, on a fixed schedule (so a run
is reproducible), it answers instead:
- GetRecords: ProvisionedThroughputExceededException, ExpiredIteratorException, or a bare 500;
- GetShardIterator and ListShards: throttling and 500s;
- PutRecords: a 500 for the whole call, or — forwarding only some entries — an answer that
  reports the others failed with ProvisionedThroughputExceededException, exactly as Kinesis does
  when a shard is over its limit (so retrying them stores each record once).
An injected answer never reaches the server, so no fault stores or skips a record by itself.
GET /faults answers the counts of injected faults as JSON.
"""
import json
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = sys.argv[1].rstrip("/") + "/"
calls = Counter()
faults = Counter()
lock = threading.Lock()

# (action, every, phase, fault): the n-th call of `action` (from 0) gets `fault` when n % every == phase.
SCHEDULE = [
    ("GetRecords", 4, 1, "throttle"),
    ("GetRecords", 9, 3, "expired"),
    ("GetRecords", 11, 6, "500"),
    ("GetShardIterator", 3, 1, "throttle"),
    ("ListShards", 3, 1, "500"),
    ("PutRecords", 5, 2, "500"),
    ("PutRecords", 2, 1, "partial"),
]

ERRORS = {
    "throttle": (400, "ProvisionedThroughputExceededException", "Rate exceeded for shard"),
    "expired": (400, "ExpiredIteratorException", "Iterator expired"),
}


def fault_for(action):
    with lock:
        n = calls[action]
        calls[action] += 1
        for a, every, phase, fault in SCHEDULE:
            if a == action and n % every == phase:
                faults[f"{action}:{fault}"] += 1
                return fault
    return None


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/x-amz-json-1.1"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with lock:
            body = json.dumps(dict(faults)).encode()
        self.answer(200, body, "application/json")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        action = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        fault = fault_for(action)
        if fault in ERRORS:
            status, kind, message = ERRORS[fault]
            return self.answer(status, json.dumps({"__type": kind, "message": message}).encode())
        if fault == "500":
            return self.answer(500, b"<html>Internal Server Error</html>", "text/html")
        if fault == "partial":
            request = json.loads(body)
            records = request["Records"]
            # Every other entry is "throttled": only the rest reach the server.
            kept = [i for i in range(len(records)) if i % 2 == 0]
            if len(kept) == len(records):
                return self.forward(body)
            request["Records"] = [records[i] for i in kept]
            status, upstream = self.call(json.dumps(request).encode())
            if status != 200:
                return self.answer(status, upstream)
            stored = iter(json.loads(upstream)["Records"])
            merged = []
            for i in range(len(records)):
                if i in kept:
                    merged.append(next(stored))
                else:
                    merged.append({"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": "Rate exceeded for shard"})
            failed = sum(1 for r in merged if "ErrorCode" in r)
            return self.answer(200, json.dumps({"FailedRecordCount": failed, "Records": merged}).encode())
        return self.forward(body)

    def call(self, body):
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        request = urllib.request.Request(UPSTREAM, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def forward(self, body):
        status, upstream = self.call(body)
        self.answer(status, upstream)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
