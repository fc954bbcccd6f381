#!/usr/bin/env python3
"""Idle-connection drill, python3 standard library only, loopback only.

Keeps CONNECTIONS connections open to a running HitKeep for HOLD seconds (from several processes, each
within the open-files limit), reopening whatever the server closes: half send nothing, a quarter stop in the middle of their headers, a quarter announce a body and
send one byte of it. Meanwhile a probe asks GET /healthz on a fresh connection every 100 ms and times the
answer. Prints the probe's latencies and how many connections the server closed. Used by idle-drill.sh.

    python3 bench/fuzz/idle_drill.py --port 8080 --connections 20000 --hold 60
"""
import argparse
import json
import multiprocessing
import resource
import selectors
import socket
import sys
import threading
import time

KINDS = {
    "idle": b"",
    "slow headers": b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    "short body": b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{",
}
PROBE_INTERVAL = 0.1
PROBE_LIMIT = 0.1  # the goal: every probe answered within 100 ms


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=20_000)
    parser.add_argument("--hold", type=float, default=60, help="seconds to keep the connections up once opened")
    parser.add_argument("--no-reopen", dest="reopen", action="store_false",
                        help="do not replace the connections the server closes (the default replaces them at once)")
    return parser.parse_args()


def kind_of(number):
    return "idle" if number % 4 < 2 else ("slow headers" if number % 4 == 2 else "short body")


def hold(args, process_number, processes, results):
    """One process's share of the connections: opens them, then keeps them open (reopening) for the hold."""
    wanted = args.connections // processes + (1 if process_number < args.connections % processes else 0)
    selector = selectors.DefaultSelector()
    opened = {"count": 0, "failed": 0, "closed_by_server": 0}
    sources = ["127.0.%d.%d" % (process_number + 2, n) for n in range(2, 42)]

    def open_one(number):
        sock = socket.socket()
        sock.settimeout(5)
        try:
            sock.bind((sources[number % len(sources)], 0))
            sock.connect((args.host, args.port))
            payload = KINDS[kind_of(number)]
            if payload:
                sock.sendall(payload)
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, number)
            opened["count"] += 1
        except OSError:
            opened["failed"] += 1
            sock.close()

    began = time.monotonic()
    for number in range(wanted):
        open_one(number)
    open_seconds = time.monotonic() - began
    hold_until = time.monotonic() + args.hold
    next_number = wanted
    peak_open = len(selector.get_map())
    while time.monotonic() < hold_until:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            try:
                sock.recv(4096)
            except OSError:
                pass
            # an answer (a 400 to a cut-off request) or the end: either way the server let go of it
            selector.unregister(sock)
            sock.close()
            opened["closed_by_server"] += 1
        # keep the pressure up: reopen what the server closed
        for _ in range(min(wanted - len(selector.get_map()), 2000) if args.reopen else 0):
            if time.monotonic() >= hold_until:
                break
            open_one(next_number)
            next_number += 1
        peak_open = max(peak_open, len(selector.get_map()))
    still_open = len(selector.get_map())
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    results.put({"count": opened["count"], "failed": opened["failed"], "closed_by_server": opened["closed_by_server"],
                 "open_at_end": still_open, "peak_open": peak_open, "open_seconds_max": open_seconds})


def main():
    args = parse_args()
    stop = threading.Event()
    latencies = []
    failures = []
    timeline = []
    began = time.monotonic()

    def probe():
        while not stop.is_set():
            started = time.monotonic()
            try:
                with socket.create_connection((args.host, args.port), timeout=10, source_address=("127.0.0.1", 0)) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    answer = b""
                    while b"\r\n\r\n" not in answer:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
                elapsed = time.monotonic() - started
                if not answer.startswith(b"HTTP/1.1 200"):
                    failures.append("%.0f ms: %r" % (elapsed * 1000, answer[:60]))
                latencies.append(elapsed)
            except OSError as error:
                elapsed = time.monotonic() - started
                failures.append("%.0f ms: %s" % (elapsed * 1000, error))
                latencies.append(elapsed)
            timeline.append((started - began, elapsed))
            stop.wait(max(0.0, PROBE_INTERVAL - (time.monotonic() - started)))

    per_process = max(1, (resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 512))
    processes = max(1, -(-args.connections // per_process))
    results = multiprocessing.Queue()
    holders = [multiprocessing.Process(target=hold, args=(args, number, processes, results)) for number in range(processes)]
    for holder in holders:
        holder.start()
    probe_thread = threading.Thread(target=probe, daemon=True)
    probe_thread.start()
    totals = {}
    for _ in holders:
        for name, value in results.get().items():
            totals[name] = max(totals.get(name, 0), value) if name == "open_seconds_max" else totals.get(name, 0) + value
    for holder in holders:
        holder.join()
    stop.set()
    probe_thread.join()
    opened = totals
    still_open = totals["open_at_end"]
    peak_open = totals["peak_open"]
    print("drill: %d processes opened their first %d connections in at most %.1f s"
          % (processes, args.connections, totals["open_seconds_max"]))

    ordered = sorted(latencies)
    def percentile(fraction):
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")
    over = sum(1 for latency in latencies if latency > PROBE_LIMIT)
    summary = {
        "connections_wanted": args.connections, "opened_total": opened["count"], "failed_to_open": opened["failed"],
        "closed_by_server": opened["closed_by_server"], "open_at_end": still_open, "peak_open": peak_open,
        "seconds": round(time.monotonic() - began, 1), "probes": len(latencies), "probe_failures": len(failures),
        "probe_p50_ms": round(percentile(0.5), 1), "probe_p99_ms": round(percentile(0.99), 1),
        "probe_max_ms": round(max(latencies) * 1000, 1) if latencies else None, "probes_over_100ms": over,
    }
    print("drill: %d connection attempts held for %.0f s; the server closed %d; %d open at the end"
          % (opened["count"], args.hold, opened["closed_by_server"], still_open))
    print("probe /healthz: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over 100 ms, %d failed"
          % (len(latencies), summary["probe_p50_ms"], summary["probe_p99_ms"], summary["probe_max_ms"] or 0, over, len(failures)))
    # when the slow probes were: the opening storm, the hold, or the reopening churn
    buckets = {}
    for at, elapsed in timeline:
        bucket = buckets.setdefault(int(at // 10) * 10, [0, 0, 0.0])
        bucket[0] += 1
        bucket[1] += elapsed > PROBE_LIMIT
        bucket[2] = max(bucket[2], elapsed)
    for start, (count, slow, worst) in sorted(buckets.items()):
        print("  %3d-%3d s: %3d probes, %3d over 100 ms, max %.0f ms" % (start, start + 10, count, slow, worst * 1000))
    for failure in failures[:5]:
        print("  failed probe: " + failure)
    print("DRILL_JSON " + json.dumps(summary))
    return 0 if over == 0 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
