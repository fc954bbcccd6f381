#!/usr/bin/env python3
"""The drill's HTTP side (python3 standard library only), driven by compose/drill.sh.

  drill.py setup   PORT STATE            first account and a site; writes STATE (cookie, site id)
  drill.py load    PORT N RATE OUT       N numbered pageviews at about RATE a second through the load
                                         balancer; one line per hit in OUT: n, start, end, status
  drill.py check   PORT STATE OUT KILLS  waits until the counts settle, then compares them with OUT
  drill.py takeover KILLED               reads the new leader's log on stdin: seconds from KILLED (epoch
                                         seconds) to its "first batch after start committed at <instant>"

Each hit is https://drill.example.com/p/<n>?utm_campaign=b<n // 100>: a page of its own (a page counted
twice shows as a top page with 2 pageviews) and a bucket of 100 (each bucket's count is compared with
the 202s of that bucket, because the stats API lists at most 1000 rows).
"""
import http.client
import json
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
DOMAIN = "drill.example.com"


def request(port, method, path, body=None, headers=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    finally:
        connection.close()


def setup(port, state_file):
    # no Origin header: like a script, not a browser page, so the same-origin check does not apply
    origin = {"Content-Type": "application/json"}
    account = {"email": "drill@example.com", "password": "drill-password-1234"}
    status, cookie, body = request(port, "POST", "/api/initial-user", account, origin)
    if status == 409:  # a stack that already has its first account: sign in
        status, cookie, body = request(port, "POST", "/api/login", account, origin)
    if status not in (200, 201):
        sys.exit(f"initial user: {status} {body[:200]!r}")
    token = cookie.split(";")[0]
    status, _, body = request(port, "POST", "/api/sites", {"domain": DOMAIN, "name": "Drill", "timezone": "UTC"},
                              dict(origin, Cookie=token))
    if status not in (200, 201):
        sys.exit(f"new site: {status} {body[:200]!r}")
    site = json.loads(body)["id"]
    with open(state_file, "w") as out:
        json.dump({"cookie": token, "site": site}, out)
    print(f"site {site} ({DOMAIN})")


def load(port, total, rate, out_file, threads=16):
    """Each thread keeps one keep-alive connection and opens a new one after any error."""
    next_number = iter(range(1, total + 1))
    lock = threading.Lock()
    results = []
    started = time.time()

    def worker():
        connection = None
        while True:
            with lock:
                n = next(next_number, None)
            if n is None:
                break
            due = started + (n - 1) / rate
            if due > time.time():
                time.sleep(due - time.time())
            body = json.dumps({"url": f"https://{DOMAIN}/p/{n}?utm_campaign=b{n // 100}"})
            begin = time.time()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("POST", "/ingest", body=body, headers={"Content-Type": "text/plain", "User-Agent": UA})
                response = connection.getresponse()
                response.read()
                status = str(response.status)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except Exception as error:  # a reset or timeout is what a client sees when something dies
                status = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            with lock:
                results.append((n, begin, time.time(), status))

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    with open(out_file, "w") as out:
        for n, begin, end, status in sorted(results):
            out.write(f"{n} {begin:.3f} {end:.3f} {status}\n")
    statuses = Counter(status for *_, status in results)
    print(f"sent {total} in {time.time() - started:.1f} s: {dict(statuses)}")


def stats(port, state, extra=""):
    today = datetime.now(timezone.utc).date()
    query = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}&limit=1000{extra}"
    status, _, body = request(port, "GET", f"/api/sites/{state['site']}/stats?{query}",
                              headers={"Cookie": state["cookie"]}, timeout=30)
    if status != 200:
        raise RuntimeError(f"stats: {status} {body[:200]!r}")
    return json.loads(body)


def check(port, state_file, out_file, kills_file):
    state = json.load(open(state_file))
    rows = [line.split() for line in open(out_file)]
    accepted = [int(n) for n, _, _, status in rows if status == "202"]
    # an error counts where the client saw it: when its request ended
    failed = [(int(n), float(end), status) for n, _, end, status in rows if status != "202"]
    # the writer catches up after its restart: wait until the count stops moving
    previous, settled, deadline = -1, 0, time.time() + 180
    while time.time() < deadline:
        try:
            counted = stats(port, state)["summary"]["pageviews"]
        except Exception as error:
            print(f"  waiting for the stats API: {error}")
            counted = -1
        settled = settled + 1 if counted == previous and counted >= len(accepted) else 0
        if settled >= 3:
            break
        previous = counted
        time.sleep(2)
    report = stats(port, state)
    counted = report["summary"]["pageviews"]
    top_page = max((row["pageviews"] for row in report["pages"]), default=0)
    per_bucket = {row["value"]: row["pageviews"] for row in report["utm_campaigns"]}
    accepted_per_bucket = Counter(f"b{n // 100}" for n in accepted)
    sent_per_bucket = Counter(f"b{int(row[0]) // 100}" for row in rows)
    missing = {bucket: (per_bucket.get(bucket, 0), want) for bucket, want in accepted_per_bucket.items()
               if per_bucket.get(bucket, 0) < want}
    over = {bucket: (have, sent_per_bucket[bucket]) for bucket, have in per_bucket.items() if have > sent_per_bucket[bucket]}

    print(f"hits sent:        {len(rows)}")
    print(f"202 accepted:     {len(accepted)}")
    print(f"counted:          {counted}  (a hit that failed at the client may still have been stored: "
          f"{counted - len(accepted)} such)")
    print(f"most views a page:{top_page:>3}  (1 = nothing counted twice)")
    print(f"buckets short of their 202s: {len(missing)} {dict(list(missing.items())[:5])}")
    kills = [line.split(maxsplit=1) for line in open(kills_file)]
    for bucket in list(missing)[:5]:
        lost_hits(port, state, bucket, rows, kills)
    for index, (at, what) in enumerate(kills):
        at = float(at)
        until = float(kills[index + 1][0]) if index + 1 < len(kills) else float("inf")
        window = [(begin, status) for _, begin, status in failed if at <= begin < until]
        errors = Counter(status for _, status in window)
        spread = f", {min(b for b, _ in window) - at:.1f} s to {max(b for b, _ in window) - at:.1f} s after it" if window else ""
        print(f"client errors from '{what.strip()}' until the next event: {sum(errors.values())} {dict(errors)}{spread}")
    before = Counter(status for _, begin, status in failed if kills and begin < float(kills[0][0]))
    print(f"client errors before the first kill: {sum(before.values())} {dict(before)}")
    ok = counted >= len(accepted) and top_page <= 1 and not missing and not over
    print("RESULT: " + ("every 202 counted exactly once" if ok else "MISMATCH"))
    return 0 if ok else 1


def lost_hits(port, state, bucket, rows, kills):
    """Names the hits of a short bucket that were answered 202 and are not counted, with when each was sent
    and answered against the drill's events: what to look for in the logs."""
    counted = {row["value"] for row in stats(port, state, f"&filter=utm_campaign:{bucket}")["pages"]}
    for n, begin, end, status in rows:
        if status == "202" and f"b{int(n) // 100}" == bucket and f"/p/{n}" not in counted:
            before = [(float(at), what.strip()) for at, what in kills if float(at) <= float(begin)]
            since = f"{float(begin) - before[-1][0]:.2f} s after '{before[-1][1]}'" if before else "before the first event"
            sent = datetime.fromtimestamp(float(begin), timezone.utc).strftime("%H:%M:%S.%f")[:-3]
            print(f"  answered 202, not counted: /p/{n}, sent {sent} UTC ({since}), answered {float(end) - float(begin):.3f} s later")


def takeover(killed):
    """From the new leader's log (the containers share the host's clock): seconds from the kill until it
    took the lead (WriterCluster's "this writer leads from <instant>") and until its first committed batch
    (HitWriter's "first batch after start committed at <instant>"), the takeover time."""
    instant = r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z"
    patterns = {"lead": re.compile("this writer leads from " + instant),
                "batch": re.compile("first batch after start committed at " + instant)}
    seen = {}
    for line in sys.stdin:
        for what, pattern in patterns.items():
            match = pattern.search(line)
            if match and what not in seen:
                fraction = (match.group(2) or ".0")[:7]  # microseconds at most for fromisoformat
                at = datetime.fromisoformat(match.group(1) + fraction).replace(tzinfo=timezone.utc).timestamp()
                if at >= killed:
                    seen[what] = at - killed
    if "batch" not in seen:
        print("no first batch written by the new leader")
        return 1
    lead = f"{seen['lead']:.1f} s" if "lead" in seen else "?"
    print(f"{seen['batch']:.1f} s from the kill to the new leader's first batch written (it took the lead after {lead})")
    return 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    elif command == "load":
        load(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif command == "check":
        sys.exit(check(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]))
    elif command == "takeover":
        sys.exit(takeover(float(sys.argv[2])))
    else:
        sys.exit(__doc__)
