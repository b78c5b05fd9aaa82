"""Load on the web server over loopback: how long a rep waits when several upload at once.

Starts the real command (`accountplan serve` on a free 127.0.0.1 port, `--jobs` workers), sends a
bounded number of uploads of the half-filled sample, `--concurrency` at a time, to /api/validate and
then to /api/build, checks that every answer is right (status 200 and the same report or zip as the
first), prints p50/p95/max latency and throughput, and stops the server. A benchmark: it asserts
correctness only (exit 1 when an answer is wrong), never a time.

    python bench/web_load.py [--requests 50] [--concurrency 8] [--jobs 2] [--endpoint validate|build|both]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cobalt-ridge-health.xlsx"
AS_OF = "2026-11-25"
REQUEST_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def multipart(name: str, data: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(port: int, path: str, body: bytes, content_type: str) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - start
    finally:
        connection.close()


def start_server(port: int, jobs: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "generator.cli", "serve", "--port", str(port), "--jobs", str(jobs)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited at once ({server.returncode}): is the web extra installed?")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
            connection.close()
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise SystemExit("the server did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run(port: int, endpoint: str, count: int, concurrency: int) -> dict:
    body, content_type = multipart(SAMPLE.name, SAMPLE.read_bytes(), {"as_of": AS_OF})
    path = f"/api/{endpoint}"
    status, expected, _ = post(port, path, body, content_type)       # the answer every other must equal
    if status != 200:
        raise SystemExit(f"{path} answered {status}: {expected[:200]!r}")
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        answers = list(pool.map(lambda _: post(port, path, body, content_type), range(count)))
    wall = time.perf_counter() - started
    latencies = sorted(seconds for _, _, seconds in answers)
    wrong = sum(1 for status, data, _ in answers if status != 200 or data != expected)
    return {"endpoint": path, "requests": count, "concurrency": concurrency, "wrong": wrong,
            "p50": statistics.median(latencies), "p95": latencies[max(0, round(0.95 * count) - 1)],
            "max": latencies[-1], "per_second": count / wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--endpoint", choices=("validate", "build", "both"), default="both")
    args = parser.parse_args()
    if not 1 <= args.requests <= 1000 or not 1 <= args.concurrency <= 64:
        parser.error("keep it bounded: 1-1000 requests, 1-64 at a time")
    port = free_port()
    server = start_server(port, args.jobs)
    try:
        endpoints = ("validate", "build") if args.endpoint == "both" else (args.endpoint,)
        results = [run(port, endpoint, args.requests, args.concurrency) for endpoint in endpoints]
    finally:
        stop_server(server)
    print(f"web load: {SAMPLE.name}, {args.jobs} worker(s), {os.cpu_count()} cores, loopback")
    print(f"{'endpoint':<15} {'requests':>8} {'at once':>7} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'req/s':>6}"
          "  answers")
    for r in results:
        verdict = "all correct" if not r["wrong"] else f"{r['wrong']} WRONG"
        print(f"{r['endpoint']:<15} {r['requests']:>8} {r['concurrency']:>7} {r['p50']:>7.2f} {r['p95']:>7.2f}"
              f" {r['max']:>7.2f} {r['per_second']:>6.1f}  {verdict}")
    if os.environ.get("WEB_LOAD_JSON"):
        print(json.dumps(results))
    return 1 if any(r["wrong"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
