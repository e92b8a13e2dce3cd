"""POST /render latency (median, 95th percentile) and throughput of `summarykit serve`, against the library.

Starts the real service (`summarykit serve`, one worker) on a free localhost port, then:

1. latency: N sequential POST /render?format=docx of sample_data/school_term.yaml, each timed on the
   client's wall clock; the same report rendered N times in this process through the library
   (Kit.render) is the reference, so the ratio is what HTTP, JSON parsing and the thread pool add;
2. throughput: M requests from C concurrent clients (threads with their own connections), in
   requests per second, every response checked (status 200, a DOCX).

    python benchmarks/bench_serve.py [--requests 100] [--clients 8] [--json] [--check]

``--check`` exits 1 when the p95 latency is over 300 ms or the service is under 10 requests/s
(the targets in benchmarks/README.md, for a 2-core machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORDS = (REPO / "sample_data" / "school_term.yaml").read_bytes()
P95_TARGET_MS = 300.0
THROUGHPUT_TARGET = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(port: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or "summarykit"
    process = subprocess.Popen([exe, "-q", "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("summarykit serve did not start")


def post(connection: http.client.HTTPConnection) -> float:
    began = time.perf_counter()
    connection.request("POST", "/render?format=docx&seed=1", body=RECORDS,
                       headers={"Content-Type": "application/yaml"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - began
    if response.status != 200 or body[:2] != b"PK":
        raise SystemExit(f"bad response: {response.status} {body[:200]!r}")
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def library_reference(n: int) -> float:
    from summarykit.kit import Kit

    kit = Kit(seed=1)
    kit.render(RECORDS)  # warm-up: templates, styled package, phrase bank
    times = []
    for _ in range(n):
        began = time.perf_counter()
        kit.render(RECORDS)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    port = free_port()
    process = start(port)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(5):  # warm-up of the worker's caches
            post(connection)
        latencies = [post(connection) for _ in range(args.requests)]
        connection.close()

        total = args.requests * 2
        per_client = [total // args.clients + (1 if i < total % args.clients else 0) for i in range(args.clients)]
        errors: list[BaseException] = []

        def client(count: int) -> None:
            own = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                for _ in range(count):
                    post(own)
            except BaseException as exc:  # reported below; a benchmark with a failed request is invalid
                errors.append(exc)
            finally:
                own.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        if errors:
            raise SystemExit(f"{len(errors)} clients failed: {errors[0]}")
    finally:
        process.terminate()
        process.wait(timeout=10)

    reference = library_reference(min(args.requests, 50))
    result = {
        "requests": args.requests, "clients": args.clients, "concurrent_requests": total,
        "median_ms": statistics.median(latencies) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000,
        "library_median_ms": reference * 1000,
        "overhead_ratio": statistics.median(latencies) / reference,
        "throughput_rps": total / wall, "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"POST /render (docx), {args.requests} sequential: median {result['median_ms']:.1f} ms, "
              f"p95 {result['p95_ms']:.1f} ms; the library alone: {result['library_median_ms']:.1f} ms "
              f"(HTTP ÷ library = {result['overhead_ratio']:.2f})")
        print(f"{total} requests from {args.clients} clients: {result['throughput_rps']:.1f} requests/s "
              f"on {result['cpus']} CPUs, every response a DOCX")
    if args.check and (result["p95_ms"] > P95_TARGET_MS or result["throughput_rps"] < THROUGHPUT_TARGET):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
