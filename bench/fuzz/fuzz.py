#!/usr/bin/env python3
"""Mutation fuzzer for a running HitKeep single binary, python3 standard library only, loopback only.

Sends mutated requests across the routes plus raw framing cases, each on raw sockets, and between them
valid pageviews for a site of their own; then checks that every valid pageview answered 202 was counted.
Prints one summary (and a JSON line with the same figures). Used by run.sh; on its own:

    python3 bench/fuzz/fuzz.py --port 8080 --requests 100000 --seconds 600

It signs up the first user itself, so the server must be new (an empty data directory).
"""
import argparse
import collections
import datetime
import json
import random
import socket
import sys
import threading
import time

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
FUZZ_SITE = "fuzz.example"
VALID_SITE = "valid.example"
ANSWER_TIMEOUT = 20.0  # seconds a request may take before it counts as unanswered


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=int, default=100_000, help="mutated requests to send (valid hits come on top)")
    parser.add_argument("--seconds", type=float, default=600, help="stop sending after this long in any case")
    parser.add_argument("--workers", type=int, default=64, help="connections at once (many wait out cut-off requests)")
    parser.add_argument("--valid-every", type=int, default=20, help="one valid pageview after this many mutated requests")
    parser.add_argument("--seed", type=int, default=16)
    return parser.parse_args()


# ---- one HTTP exchange on a raw socket -------------------------------------------------------------

class Answer:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def read_answer(sock, with_body=True):
    """Reads one response (after any 1xx); None when the connection ends or times out before a status line."""
    data = b""
    while True:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ")[1])
        except (IndexError, ValueError):
            return Answer(-2, {}, head)  # not HTTP at all
        if status >= 200:
            break
        data = rest  # 100 Continue: the answer follows
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if not with_body:
        body = b""
    elif "content-length" in headers:
        length = int(headers["content-length"])
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        body = rest[:length]
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                chunk = sock.recv(65536)
                if not chunk:
                    return Answer(status, headers, body)
                rest += chunk
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                break
    else:
        body = rest
    return Answer(status, headers, body)


class Client:
    """A keep-alive connection from its own loopback address, reopened when the server closes it."""

    def __init__(self, host, port, source):
        self.host, self.port, self.source = host, port, source
        self.sock = None

    def exchange(self, raw, retry=True):
        reused = self.sock is not None
        started = time.monotonic()
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=ANSWER_TIMEOUT,
                                                 source_address=(self.source, 0))
        try:
            self.sock.sendall(raw)
            answer = read_answer(self.sock, with_body=not raw.startswith(b"HEAD "))
        except (OSError, ValueError):
            answer = None
        if answer is None or answer.headers.get("connection", "").lower() == "close":
            self.close()
        if answer is None and reused and retry and time.monotonic() - started < 1:
            # the server had closed the kept-alive connection meanwhile (idle timeout): once more on a new one
            return self.exchange(raw, retry=False)
        return answer

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


def request(method, path, headers=(), body=b""):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"]
    lines += ["%s: %s" % header for header in headers]
    if body:
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


# ---- the requests to mutate ------------------------------------------------------------------------

def seeds(cookie, api_key, site_id):
    json_type = ("Content-Type", "application/json")
    text_type = ("Content-Type", "text/plain")
    ua = ("User-Agent", FIREFOX)
    auth = ("Cookie", "hk_token=" + cookie)
    origin = ("Origin", "http://127.0.0.1")
    bearer = ("Authorization", "Bearer " + api_key)
    today = datetime.date.today()
    site = "/api/sites/%d" % site_id
    hit = json.dumps({"url": "https://%s/fuzz?utm_source=x" % FUZZ_SITE, "referrer": "https://news.ycombinator.com/",
                      "session_id": "s1", "lang": "de-DE", "vp_w": 1280, "vp_h": 720}).encode()
    event = json.dumps({"name": "Signup", "url": "https://%s/" % FUZZ_SITE, "props": {"plan": "pro", "seats": 3}}).encode()
    server_hit = json.dumps({"url": "https://%s/server" % FUZZ_SITE, "timestamp": "2026-01-01T10:00:00Z",
                             "visitor_ip": "203.0.113.9", "user_agent": FIREFOX}).encode()
    chunked = "POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    raw = [
        # the framing cases of issue 16, and their relatives
        (chunked + "zz\r\n{}\r\n0\r\n\r\n").encode(),
        (chunked + "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n").encode(),
        (chunked + "-1\r\n{}\r\n0\r\n\r\n").encode(),
        (chunked + "%x\r\n%s\r\n0\r\n\r\n" % (len(hit), hit.decode())).encode(),
        b"USER-AGENT: / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GE\x00T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /healthz HTTP/1.0\r\n\r\n",
        b"GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /healthz\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n Folded: header\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
        b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ten\r\n\r\n{}",
        b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
        b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 40000 + b"\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:notaport\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: [::1\r\n\r\n",
        b"GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET http://evil.example/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ]
    requests = [
        request("POST", "/ingest", [text_type, ua], hit),
        request("POST", "/ingest", [json_type, ua, ("X-Forwarded-For", "198.51.100.7")], hit),
        request("POST", "/ingest/event", [text_type, ua], event),
        request("POST", "/ingest/engagement", [text_type, ua],
                json.dumps({"url": "https://%s/" % FUZZ_SITE, "session_id": "s1", "engaged_ms": 1234}).encode()),
        request("POST", "/api/ingest/server/pageview", [json_type, bearer], server_hit),
        request("POST", "/api/ingest/server/event", [json_type, bearer],
                json.dumps({"name": "Paid", "url": "https://%s/" % FUZZ_SITE, "visitor_ip": "203.0.113.9",
                            "user_agent": FIREFOX}).encode()),
        request("OPTIONS", "/ingest", [("Origin", "https://%s" % FUZZ_SITE), ("Access-Control-Request-Method", "POST")]),
        request("GET", "/hk.js"),
        request("GET", "/hk.js", [("If-None-Match", '"x"')]),
        request("GET", "/healthz"),
        request("GET", "/readyz"),
        request("GET", "/metrics"),
        request("GET", "/"),
        request("GET", "/sites/1?range=30d"),
        request("GET", "/nothing/here"),
        request("GET", "/api/sites", [auth]),
        request("GET", "/api/sites", [bearer]),
        request("GET", site, [auth]),
        request("GET", site + "/stats?from=%s&to=%s&filter=page:/fuzz&filter=country:DE&limit=5&parts=summary,chart"
                % (today - datetime.timedelta(days=7), today), [auth]),
        request("GET", site + "/stats?from=%", [auth]),
        request("GET", site + "/stats?filter=page:%", [auth]),
        request("GET", site + "/stats?from=%2B999999999-12-31", [auth]),
        request("GET", site + "/stats?from=-999999999-01-01&to=%2B999999999-12-31", [auth]),
        request("GET", site + "/stats?limit=99999999999999999999", [auth]),
        request("GET", site + "/live", [auth]),
        request("PATCH", site, [auth, origin, json_type],
                json.dumps({"name": "Fuzzed", "excluded_paths": "/admin/*", "honour_dnt": True}).encode()),
        request("POST", "/api/sites", [auth, origin, json_type],
                json.dumps({"domain": "new.example", "name": "x", "timezone": "Europe/Berlin"}).encode()),
        request("GET", site + "/share-links", [auth]),
        request("POST", site + "/share-links", [auth, origin, json_type], json.dumps({"label": "fuzz"}).encode()),
        request("GET", "/api/share/abc/stats"),
        request("POST", "/api/login/totp", [json_type], json.dumps({"challenge": "x", "code": "123456"}).encode()),
        request("POST", "/api/login/passkey/start", [json_type], b"{}"),
        request("GET", "/api/user", [auth]),
        request("GET", "/api/user/api-keys", [auth]),
        request("GET", "/api/user/passkeys", [auth]),
        request("GET", "/api/audit", [auth]),
        request("GET", "/api/teams", [auth]),
        request("GET", "/api/teams/1", [auth]),
        request("GET", "/api/teams/1/audit", [auth]),
        request("PATCH", "/api/teams/1", [auth, origin, json_type], json.dumps({"name": "Fuzz team"}).encode()),
        request("GET", "/api/invitations/abc"),
        request("POST", "/api/logout", [json_type], b"{}"),
    ]
    # each of these hashes a password with argon2id (on purpose slow and memory-hungry): sent less often,
    # or they alone would set the pace
    password_hashing = [
        request("POST", "/api/login", [json_type], json.dumps({"email": "nobody@example.com", "password": "wrong password"}).encode()),
        request("POST", "/api/initial-user", [json_type], json.dumps({"email": "x@example.com", "password": "long enough pw"}).encode()),
        request("POST", "/api/password-reset", [json_type], json.dumps({"email": "owner@example.com"}).encode()),
        request("POST", "/api/share/abc/unlock", [json_type], json.dumps({"password": "x"}).encode()),
    ]
    return requests, raw, password_hashing


# ---- mutations -------------------------------------------------------------------------------------

INTERESTING = [b"%", b"%zz", b"%00", b"\x00", b"\r\n", b"\n", b"\r", b" ", b"\t", b":", b"/", b"..", b"?", b"#", b"&",
               b"=", b"'", b'"', b"\\", b"{", b"}", b"[", b"]", b"-1", b"0", b"99999999999999999999", b"1e308",
               b"NaN", b"null", b"true", b"\xff\xfe", b"\xc3\x28", b"\xf0\x9f\x92\xa9", b"%2B999999999-12-31",
               b"+999999999-12-31", b"\x7f", b"\x1b[31m", b"A" * 300]


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.randrange(9)
        position = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # flip a byte
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:  # insert an interesting token
            data[position:position] = rng.choice(INTERESTING)
        elif kind == 2 and data:  # delete a run
            del data[position:position + rng.randrange(1, 16)]
        elif kind == 3:  # truncate (the server then waits for the rest until its read timeout)
            if rng.random() < 0.1:
                del data[position:]
        elif kind == 4:  # duplicate a run
            run = data[position:position + rng.randrange(1, 64)]
            data[position:position] = run * rng.randrange(1, 4)
        elif kind == 5:  # replace the method
            space = data.find(b" ")
            if space > 0:
                data[:space] = rng.choice([b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"HEAD", b"OPTIONS",
                                           b"TRACE", b"CONNECT", b"BREW", b"get", b"G\x00ET", b""])
        elif kind == 6:  # add a header
            end = data.find(b"\r\n")
            if end > 0:
                data[end:end] = b"\r\n" + rng.choice([b"Transfer-Encoding: chunked", b"Content-Length: 5",
                                                       b"Content-Length: -1", b"Expect: 100-continue",
                                                       b"Connection: close", b"X-Forwarded-For: ::ffff:zz",
                                                       b"X-Forwarded-For: " + b"1.2.3.4," * 200,
                                                       b"Cookie: hk_token=" + b"e" * 500, b"Authorization: Bearer x",
                                                       b"Content-Type: application/x-www-form-urlencoded",
                                                       b"Sec-CH-UA: \"\x00\"", b"DNT: 1", b"Host: evil.example",
                                                       b"Origin: null", b"Range: bytes=0-1,2-3"])
        elif kind == 7:  # mangle the body as JSON
            start = data.find(b"\r\n\r\n{")
            if start > 0:
                try:
                    head, body = bytes(data[:start + 4]), json.loads(bytes(data[start + 4:]))
                    if isinstance(body, dict) and body:
                        key = rng.choice(list(body))
                        body[key] = rng.choice([None, True, -1, 1e308, 2 ** 70, "", "x" * 5000, [1], {"a": {"b": 1}},
                                                "https://" + FUZZ_SITE + "/%zz", "javascript:alert(1)", "\u0000"])
                    new_body = json.dumps(body).encode()
                    head = head.replace(b"Content-Length: %d" % (len(data) - start - 4), b"Content-Length: %d" % len(new_body))
                    data = bytearray(head + new_body)
                except (ValueError, UnicodeDecodeError):
                    pass
        else:  # percent-encoding trouble in the request target
            space = data.find(b" ")
            if space > 0:
                data[space + 1:space + 1] = rng.choice([b"", b"/"]) 
                query = data.find(b"?", space, data.find(b" HTTP/"))
                token = rng.choice([b"%", b"%G0", b"%%", b"%2", b"%C3%28", b"%00", b"+", b"%252F"])
                if query > 0:
                    data[query + 1:query + 1] = b"x=" + token + b"&"
                else:
                    data[space + 1:space + 1] = b"/" + token
    return bytes(data)


# ---- the run ---------------------------------------------------------------------------------------

def api(host, port, method, path, body=None, cookie=None, expect=(200, 201)):
    client = Client(host, port, "127.0.0.1")
    headers = [("Content-Type", "application/json"), ("Origin", "http://127.0.0.1"), ("Connection", "close")]
    if cookie:
        headers.append(("Cookie", "hk_token=" + cookie))
    answer = client.exchange(request(method, path, headers, json.dumps(body).encode() if body is not None else b""))
    client.close()
    if answer is None or answer.status not in expect:
        raise SystemExit("setup failed: %s %s -> %s %s" % (method, path, answer and answer.status, answer and answer.body[:300]))
    return answer


def setup(host, port):
    answer = api(host, port, "POST", "/api/initial-user", {"email": "owner@example.com", "password": "fuzz owner password"})
    cookie = answer.headers.get("set-cookie", "").split("hk_token=")[1].split(";")[0]
    fuzz_site = json.loads(api(host, port, "POST", "/api/sites", {"domain": FUZZ_SITE, "name": "Fuzz", "timezone": "UTC"},
                               cookie).body)["id"]
    valid_site = json.loads(api(host, port, "POST", "/api/sites", {"domain": VALID_SITE, "name": "Valid", "timezone": "UTC"},
                                cookie).body)["id"]
    key = json.loads(api(host, port, "POST", "/api/user/api-keys", {"name": "fuzz"}, cookie).body)["key"]
    return cookie, key, fuzz_site, valid_site


def counted_pageviews(host, port, cookie, site_id):
    today = datetime.datetime.now(datetime.timezone.utc).date()
    path = "/api/sites/%d/stats?from=%s&to=%s&parts=summary" % (site_id, today - datetime.timedelta(days=1),
                                                              today + datetime.timedelta(days=1))
    return json.loads(api(host, port, "GET", path, cookie=cookie).body)["summary"]["pageviews"]


def is_json_error(answer):
    try:
        body = json.loads(answer.body)
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body


def main():
    args = parse_args()
    cookie, api_key, fuzz_site, valid_site = setup(args.host, args.port)
    requests, raw, password_hashing = seeds(cookie, api_key, fuzz_site)
    deadline = time.monotonic() + args.seconds
    lock = threading.Lock()
    counter = {"next": 0}
    statuses = collections.Counter()
    non_json = collections.Counter()
    examples = {}
    valid = {"sent": 0, "accepted": 0, "refused": collections.Counter()}

    def worker(number):
        rng = random.Random(args.seed * 1000 + number)
        client = Client(args.host, args.port, "127.0.0.%d" % (10 + number))
        valid_client = Client(args.host, args.port, "127.0.1.%d" % (10 + number))
        while time.monotonic() < deadline:
            with lock:
                index = counter["next"]
                if index >= args.requests:
                    break
                counter["next"] += 1
            if index % args.valid_every == 0:
                body = json.dumps({"url": "https://%s/page/%d" % (VALID_SITE, index)}).encode()
                answer = valid_client.exchange(request("POST", "/ingest", [("Content-Type", "text/plain"),
                                                                          ("User-Agent", FIREFOX)], body))
                with lock:
                    valid["sent"] += 1
                    if answer is not None and answer.status == 202:
                        valid["accepted"] += 1
                    else:
                        valid["refused"][answer.status if answer else "none"] += 1
            choice = rng.random()
            if choice < 0.15:
                seed = rng.choice(raw)
                data = seed if rng.random() < 0.5 else mutate(seed, rng)
            elif choice < 0.16:
                data = mutate(rng.choice(password_hashing), rng)
            else:
                data = mutate(rng.choice(requests), rng)
            answer = client.exchange(data)
            status = "no answer" if answer is None else ("not http" if answer.status == -2 else answer.status)
            with lock:
                statuses[status] += 1
                # an answer to HEAD has no body, by definition
                if answer is not None and answer.status >= 400 and not data.startswith(b"HEAD ") and not is_json_error(answer):
                    non_json[answer.status] += 1
                    examples.setdefault("non-json %d" % answer.status, (data[:200], answer.body[:200]))
                if answer is not None and answer.status >= 500:
                    examples.setdefault("5xx %d" % answer.status, (data[:200], answer.body[:200]))
        client.close()
        valid_client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    # the writer commits in micro-batches: wait until the count stops short of nothing, at most a minute
    counted = -1
    for _ in range(60):
        counted = counted_pageviews(args.host, args.port, cookie, valid_site)
        if counted >= valid["accepted"]:
            break
        time.sleep(1)

    sent = sum(statuses.values())
    five_xx = sum(count for status, count in statuses.items() if isinstance(status, int) and status >= 500)
    summary = {
        "requests": sent, "seconds": round(elapsed, 1), "per_second": round(sent / elapsed),
        "statuses": {str(status): count for status, count in sorted(statuses.items(), key=lambda item: str(item[0]))},
        "5xx": five_xx, "non_json_error_bodies": sum(non_json.values()),
        "valid_hits_sent": valid["sent"], "valid_hits_accepted": valid["accepted"],
        "valid_hits_refused": {str(k): v for k, v in valid["refused"].items()}, "valid_hits_counted": counted,
    }
    print("fuzz: %d mutated requests in %.0f s (%d/s)" % (sent, elapsed, sent / elapsed))
    print("statuses: " + ", ".join("%s: %d" % item for item in summary["statuses"].items()))
    print("5xx: %d   non-JSON error bodies: %d" % (five_xx, summary["non_json_error_bodies"]))
    print("valid hits: sent %d, answered 202 %d, counted %d" % (valid["sent"], valid["accepted"], counted))
    for name, (sent_bytes, body) in sorted(examples.items()):
        print("example %s: sent %r -> %r" % (name, sent_bytes, body))
    print("FUZZ_JSON " + json.dumps(summary))
    ok = five_xx == 0 and summary["non_json_error_bodies"] == 0 and counted == valid["accepted"] == valid["sent"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
