#!/usr/bin/env bash
# End-to-end ingest benchmark: the same wrk load against a bare Helidon server (the baseline) and
# against the HitKeep single binary, then checks that every accepted hit landed in DuckDB and
# reports throughput, loss, bytes per hit and memory. See bench/README.md.
#
#   bash bench/run.sh [--no-build]
#   DURATION=20s WARMUP=10s WARMUP_ROUNDS=2 CONNECTIONS=64 THREADS=2 bash bench/run.sh
set -euo pipefail

DURATION="${DURATION:-20s}"
# Load before each measured run, not counted: the JIT compiles the hot path during the first seconds (the
# C2 compiler threads still took a fifth of HitKeep's CPU 10 s into a load), and issue 13's target is the
# steady state. 0s skips it.
WARMUP="${WARMUP:-10s}"
# How many warm-up loads, one after the other. When wrk stops, every connection's read fails at once, and the JIT
# throws away the hottest compiled code (HTTP parsing, routing: their exception paths had never run) and compiles it
# again during the next load; a second warm-up absorbs that, as a server that has seen clients leave has.
WARMUP_ROUNDS="${WARMUP_ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
KEEP_DATA="${KEEP_DATA:-0}"        # 1 keeps the HitKeep data directory after the run
# Extra JVM options for HitKeep only (word-split), e.g. BENCH_JAVA_OPTS="-Xmx256m"; default none,
# so the figures are those of a plain `java -jar hitkeep.jar`.
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
DRAIN_TIMEOUT_S=120                 # how long to wait for accepted hits to reach DuckDB
IDLE_SETTLE_S=10                    # idle RSS is taken this long after /readyz

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (only --no-build)" >&2; exit 2 ;;
  esac
done

if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java)" || { echo "no java on PATH" >&2; exit 1; }
fi
for tool in wrk curl awk ps pgrep; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# ---- processes we start, and their cleanup ------------------------------------------------------

exec 8>&1 9>&2   # the script's own stdout and stderr, for cleanup()
WORK="$(mktemp -d /tmp/hitkeep-bench.XXXXXX)"
WRK_PID=""
BARE_PID=""
HK_PID=""
NATS_PID=""
SAMPLER_PID=""
HK_LOG="$WORK/hitkeep.log"
BARE_LOG="$WORK/bare.log"

# Stops one process we started: SIGTERM, up to $2 seconds, then SIGKILL.
stop_pid() {
  local pid="$1" grace="${2:-10}"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  set +e
  # A signal may arrive inside a redirected command; report on the script's own stdout and stderr.
  exec 1>&8 2>&9
  stop_pid "$WRK_PID" 5
  stop_pid "$SAMPLER_PID" 2
  stop_pid "$BARE_PID" 10
  stop_pid "$HK_PID" 60
  # nats-server is HitKeep's child: normally stopped by it, but not if HitKeep had to be killed.
  stop_pid "$NATS_PID" 10
  if ((status != 0)); then
    log "FAILED (exit $status). Work directory: $WORK"
    for file in "$HK_LOG" "$BARE_LOG"; do
      [[ -s "$file" ]] && { log "last lines of $file:"; tail -n 40 "$file" >&2; }
    done
  fi
  rm -f "$WORK/hitkeep.jar" "$WORK/bench.jar"
  if [[ "$KEEP_DATA" != 1 ]]; then rm -rf "$WORK/data"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- helpers ------------------------------------------------------------------------------------

# A port nobody listens on. Another process could take it before we bind, which is unlikely enough
# on a bench machine; the server's start-up fails loudly if it happens.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

# Waits until GET $1 answers $2 (default 200), at most $3 seconds; fails early if pid $4 died.
wait_for_status() {
  local url="$1" want="${2:-200}" timeout="${3:-60}" pid="${4:-}" code=""
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
    [[ "$code" == "$want" ]] && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited while waiting for $url" >&2; return 1
    fi
    sleep 0.2
  done
  echo "$url did not answer $want within ${timeout}s (last: $code)" >&2; return 1
}

# Resident set size in KiB of the given pids, summed; pids that are gone count 0.
rss_kib() {
  local total=0 pid rss
  for pid in "$@"; do
    [[ -n "$pid" ]] || continue
    rss="$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# CPU seconds a process has used so far as "user system", from /proc/<pid>/stat; "0 0" if gone.
cpu_seconds() {
  local pid="$1" ticks
  ticks="$(getconf CLK_TCK)"
  [[ -r "/proc/$pid/stat" ]] || { echo "0 0"; return; }
  # Fields after the command name (which may contain spaces): utime is 14th, stime 15th overall.
  awk -v hz="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f %.2f", $12 / hz, $13 / hz }' "/proc/$pid/stat"
}

# "user+system s (user u, system s)" used between two cpu_seconds readings.
cpu_used() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); u = y[1] - x[1]; s = y[2] - x[2];
    printf "%.1f s (user %.1f, sys %.1f)", u + s, u, s }'
}

# The first descendant of pid $1 whose command is $2: the embedded nats-server runs under a small shell
# that restarts it, so it is HitKeep's grandchild, not its child.
descendant_named() {
  local parent="$1" name="$2" child found
  for child in $(pgrep -P "$parent" || true); do
    if [[ "$(ps -o comm= -p "$child" 2>/dev/null)" == "$name" ]]; then echo "$child"; return 0; fi
    found="$(descendant_named "$child" "$name")" && [[ -n "$found" ]] && { echo "$found"; return 0; }
  done
  return 1
}

# CPU ticks of each thread of pid $1 as "tid<TAB>name<TAB>ticks", for thread_cpu_top.
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    awk -v tid="${task##*/}" '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\)[^)]*$/, "", name);
      rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); print tid "\t" name "\t" f[12] + f[13] }' \
      "$task/stat" 2>/dev/null || true
  done
}

# The CPU seconds HitKeep's threads used between two thread_ticks files, by thread name with numbers folded
# (Linux keeps 15 characters: "ForkJoinPool-1-" are the HTTP carriers and their delay scheduler; DuckDB's own
# threads are named "java"), the 8 largest.
# Threads that ended in between are missing.
thread_cpu_top() {
  awk -F'\t' -v hz="$(getconf CLK_TCK)" 'FNR == NR { before[$1] = $3; next }
    { name = $2; gsub(/[0-9]+/, "#", name); used[name] += $3 - before[$1]; total += $3 - before[$1] }
    END { for (name in used) printf "%.1f\t%s\n", used[name] / hz, name; printf "%.1f\t(all threads)\n", total / hz }' \
    "$1" "$2" | sort -rn | head -n 9 | awk -F'\t' '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }'
}

# Microseconds of CPU per request between two cpu_seconds readings, over $3 requests.
per_request() {
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.0f", (n > 0 ? 1e6 * (y[1] + y[2] - x[1] - x[2]) / n : 0) }'
}

kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# The value of a Prometheus sample line, e.g. metric 'hitkeep_writer_hits_written_total'; 0 if absent.
metric() {
  local name="$1" text="$2"
  awk -v name="$name" '$1 == name { printf "%d", $2; found = 1 } END { if (!found) print 0 }' <<<"$text"
}

# One field from the pageviews.lua summary wrk prints, e.g. 'accepted_202'.
wrk_field() { awk -v key="$1:" '$1 == key { print $2 }' "$2"; }

now() { date +%s.%N; }

# A percentile from wrk's --latency distribution, e.g. lat 99% file.
lat() { awk -v p="$1" '$1 == p { print $2; exit }' "$2"; }

# Machine-wide CPU counters "idle total" in ticks, from /proc/stat.
cpu_ticks() { awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# Percent of the machine's CPU that was busy between two cpu_ticks readings.
busy_percent() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.0f", (y[2] > x[2] ? 100 - 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0) }'
}

# Percent of CPU time idle over one second, machine-wide. Both servers and wrk share these cores, so
# anything else running (a build, another server) skews the comparison; we warn rather than refuse.
idle_percent() {
  local a
  a="$(cpu_ticks)"
  sleep 1
  echo $((100 - $(busy_percent "$a" "$(cpu_ticks)")))
}

QUIET_WARNINGS=()
check_quiet() {
  local idle
  idle="$(idle_percent)"
  if ((idle < 85)); then
    QUIET_WARNINGS+=("before $1 the machine was only ${idle}% idle: other processes compete for the CPU")
    log "WARNING: machine only ${idle}% idle before $1; figures will be noisy"
  fi
}

# Runs the wrk load against port $1, output to file $2, wrk's own CPU use to $2.cpu. wrk runs in the
# background so that a signal to this script interrupts the wait at once instead of after the load.
# A request slower than 10 s counts as a timeout error (HitKeep itself answers 503 after 15 s).
run_wrk() {
  local port="$1" out="$2" duration="${3:-$DURATION}"
  # bash's times builtin: line 2 is the CPU of every child this shell has reaped. It must run in this
  # shell, not in a $(...) subshell, which has children of its own.
  times >"$out.times-before"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency \
    -s "$BENCH/pageviews.lua" "http://127.0.0.1:$port/ingest" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID"
  WRK_PID=""
  times >"$out.times-after"
  # Only wrk was reaped in between, so the difference is wrk's CPU: "user system" seconds.
  awk 'function secs(t, m) { split(t, m, /[ms]/); return m[1] * 60 + m[2] }
       FNR == 2 { u[FILENAME == ARGV[1]] = secs($1); s[FILENAME == ARGV[1]] = secs($2) }
       END { printf "%.2f %.2f", u[0] - u[1], s[0] - s[1] }' "$out.times-before" "$out.times-after" >"$out.cpu"
  cat "$out" >&2
}

# ---- build --------------------------------------------------------------------------------------

if ((BUILD)); then
  log "building (mvn install, tests skipped)"
  if [[ -x "$ROOT/mvnw" ]]; then MVN="$ROOT/mvnw"; else MVN=mvn; fi
  (cd "$ROOT" && "$MVN" -q -B -DskipTests install)
fi
# HITKEEP_JAR: another build of the single binary to measure (an older commit's, say) against the same baseline.
HK_JAR="${HITKEEP_JAR:-$ROOT/app/target/hitkeep.jar}"
BENCH_JAR="$BENCH/target/bench.jar"
for jar in "$HK_JAR" "$BENCH_JAR"; do
  [[ -f "$jar" ]] || { echo "missing $jar: build first (drop --no-build)" >&2; exit 1; }
done
# Run copies: a rebuild during the run must not swap a jar under a running JVM.
cp "$HK_JAR" "$WORK/hitkeep.jar"
cp "$BENCH_JAR" "$WORK/bench.jar"
HK_JAR="$WORK/hitkeep.jar"
BENCH_JAR="$WORK/bench.jar"
log "work directory $WORK; load: $THREADS threads, $CONNECTIONS connections, $DURATION after a warm-up of $WARMUP"

# ---- a. baseline: bare Helidon ------------------------------------------------------------------

check_quiet "the bare run"
BARE_PORT="$(free_port)"
log "starting BareServer on port $BARE_PORT"
"$JAVA" -jar "$BENCH_JAR" "$BARE_PORT" >"$BARE_LOG" 2>&1 &
BARE_PID=$!
# BareServer has no GET route: any HTTP answer (404) means it is listening.
wait_for_status "http://127.0.0.1:$BARE_PORT/" 404 30 "$BARE_PID"
if [[ "$WARMUP" != 0s ]]; then
  for ((round = 1; round <= WARMUP_ROUNDS; round++)); do
    run_wrk "$BARE_PORT" "$WORK/wrk-bare-warmup-$round.txt" "$WARMUP" 2>/dev/null
  done
fi
CPU_BARE_BEFORE="$(cpu_seconds "$BARE_PID")"
TICKS_BEFORE="$(cpu_ticks)"
run_wrk "$BARE_PORT" "$WORK/wrk-bare.txt"
BUSY_BARE="$(busy_percent "$TICKS_BEFORE" "$(cpu_ticks)")"
CPU_BARE_AFTER="$(cpu_seconds "$BARE_PID")"
CPU_BARE_LOAD="$(cpu_used "$CPU_BARE_BEFORE" "$CPU_BARE_AFTER")"
CPU_WRK_BARE="$(cpu_used "0 0" "$(cat "$WORK/wrk-bare.txt.cpu")")"
BARE_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk-bare.txt")"
BARE_REQUESTS="$(awk '/ requests in / { print $1 }' "$WORK/wrk-bare.txt")"
BARE_ACCEPTED_RPS="$(wrk_field accepted_per_sec "$WORK/wrk-bare.txt")"
stop_pid "$BARE_PID" 10
BARE_PID=""

# ---- b. HitKeep: start, idle memory, first user and site ----------------------------------------

HK_PORT="$(free_port)"
DATA="$WORK/data"
mkdir -p "$DATA"
BASE="http://127.0.0.1:$HK_PORT"
log "starting HitKeep on port $HK_PORT, data in $DATA, log in $HK_LOG"
# Started from the work directory so a hitkeep.yaml in the caller's directory is not picked up, and
# bound to loopback only; exec keeps $! the JVM's pid.
(
  cd "$WORK"
  export HITKEEP_HTTP_HOST=127.0.0.1 HITKEEP_HTTP_PORT="$HK_PORT" HITKEEP_DATA_PATH="$DATA" \
    HITKEEP_JWT_SECRET="bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  exec "$JAVA" $BENCH_JAVA_OPTS -jar "$HK_JAR" >"$HK_LOG" 2>&1
) &
HK_PID=$!
STARTED_AT="$(now)"
wait_for_status "$BASE/readyz" 200 120 "$HK_PID"
log "ready after $(awk -v a="$STARTED_AT" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
NATS_PID="$(descendant_named "$HK_PID" nats-server || true)"
[[ -n "$NATS_PID" ]] || log "no nats-server child found (external broker?); RSS is the JVM's only"

sleep "$IDLE_SETTLE_S"
IDLE_RSS_KIB="$(rss_kib "$HK_PID" "$NATS_PID")"
log "idle RSS: $(kib_to_mib "$IDLE_RSS_KIB") MiB (java $(kib_to_mib "$(rss_kib "$HK_PID")"), nats-server $(kib_to_mib "$(rss_kib "$NATS_PID")"))"

# The API refuses cookie-authenticated writes that do not come from the dashboard's own origin.
SAME_ORIGIN=(-H "Origin: $BASE" -H "Sec-Fetch-Site: same-origin" -H "Content-Type: application/json")
curl -s -S --max-time 30 -D "$WORK/initial-user.headers" -o "$WORK/initial-user.json" "${SAME_ORIGIN[@]}" \
  -X POST "$BASE/api/initial-user" -d '{"email":"bench@example.com","password":"bench-password-123"}'
COOKIE="$(awk 'tolower($1) == "set-cookie:" && $2 ~ /^hk_token=/ { sub(/;.*/, "", $2); print $2 }' \
  "$WORK/initial-user.headers" | tr -d '\r')"
[[ -n "$COOKIE" ]] || { echo "no hk_token cookie from /api/initial-user:" >&2; cat "$WORK/initial-user.headers" "$WORK/initial-user.json" >&2; exit 1; }
curl -s -S --max-time 30 -o "$WORK/site.json" -w '%{http_code}' "${SAME_ORIGIN[@]}" -H "Cookie: $COOKIE" \
  -X POST "$BASE/api/sites" -d '{"domain":"example.com","name":"x","timezone":"UTC"}' >"$WORK/site.status"
SITE_ID="$(grep -o '"id" *: *[0-9]*' "$WORK/site.json" | head -n 1 | grep -o '[0-9]*$' || true)"
[[ -n "$SITE_ID" ]] || { echo "creating the site failed ($(cat "$WORK/site.status")):" >&2; cat "$WORK/site.json" >&2; exit 1; }
log "user and site $SITE_ID created"

# ---- c. HitKeep under load, with RSS sampled every second ---------------------------------------

# Waits up to $1 seconds until the writer has written every hit the server accepted; sets METRICS,
# WRITTEN_TOTAL and SERVER_ACCEPTED, and returns 1 if it ran out of time.
wait_written() {
  local deadline=$((SECONDS + $1))
  while ((SECONDS < deadline)); do
    METRICS="$(curl -s --max-time 5 "$BASE/metrics" || true)"
    WRITTEN_TOTAL="$(metric hitkeep_writer_hits_written_total "$METRICS")"
    SERVER_ACCEPTED="$(metric hitkeep_ingest_accepted_total "$METRICS")"
    ((WRITTEN_TOTAL >= SERVER_ACCEPTED)) && return 0
    sleep 0.25
  done
  return 1
}

if [[ "$WARMUP" != 0s ]]; then
  log "warm-up: $WARMUP_ROUNDS x $WARMUP of the same load, not counted"
  for ((round = 1; round <= WARMUP_ROUNDS; round++)); do
    run_wrk "$HK_PORT" "$WORK/wrk-hitkeep-warmup-$round.txt" "$WARMUP" 2>/dev/null
  done
  wait_written "$DRAIN_TIMEOUT_S" || log "the warm-up's hits were not all written after ${DRAIN_TIMEOUT_S}s"
fi
WRITTEN_BEFORE="$(metric hitkeep_writer_hits_written_total "$(curl -s --max-time 5 "$BASE/metrics")")"
RSS_SAMPLES="$WORK/rss-samples.txt"
: >"$RSS_SAMPLES"
# Bounded: stops on its own after the load, the drain and some slack, even if never told to.
max_samples=$(( $(awk -v d="$DURATION" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; if (d ~ /h$/) n *= 3600; print int(n) }') + DRAIN_TIMEOUT_S + 60 ))
(
  for _ in $(seq 1 "$max_samples"); do
    # total java nats-server, KiB
    echo "$(rss_kib "$HK_PID" "$NATS_PID") $(rss_kib "$HK_PID") $(rss_kib "$NATS_PID")" >>"$RSS_SAMPLES"
    sleep 1
  done
) &
SAMPLER_PID=$!

check_quiet "the HitKeep run"
CPU_JAVA_BEFORE="$(cpu_seconds "$HK_PID")"
thread_ticks "$HK_PID" >"$WORK/threads-before.txt"
CPU_NATS_BEFORE="$(cpu_seconds "${NATS_PID:-0}")"
TICKS_BEFORE="$(cpu_ticks)"
LOAD_START="$(now)"
run_wrk "$HK_PORT" "$WORK/wrk-hitkeep.txt"
LOAD_END="$(now)"
BUSY_HK="$(busy_percent "$TICKS_BEFORE" "$(cpu_ticks)")"
CPU_JAVA_AFTER="$(cpu_seconds "$HK_PID")"
CPU_NATS_AFTER="$(cpu_seconds "${NATS_PID:-0}")"
thread_ticks "$HK_PID" >"$WORK/threads-after.txt"
CPU_JAVA_LOAD="$(cpu_used "$CPU_JAVA_BEFORE" "$CPU_JAVA_AFTER")"
CPU_NATS_LOAD="$(cpu_used "$CPU_NATS_BEFORE" "$CPU_NATS_AFTER")"
THREADS_TOP="$(thread_cpu_top "$WORK/threads-before.txt" "$WORK/threads-after.txt")"
CPU_WRK_HK="$(cpu_used "0 0" "$(cat "$WORK/wrk-hitkeep.txt.cpu")")"

HK_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk-hitkeep.txt")"
ACCEPTED="$(wrk_field accepted_202 "$WORK/wrk-hitkeep.txt")"
NON_202="$(wrk_field non_202 "$WORK/wrk-hitkeep.txt")"
SOCKET_ERRORS="$(wrk_field socket_errors "$WORK/wrk-hitkeep.txt")"
HK_ACCEPTED_RPS="$(wrk_field accepted_per_sec "$WORK/wrk-hitkeep.txt")"
[[ -n "$ACCEPTED" ]] || { echo "wrk printed no accepted_202 line" >&2; exit 1; }

# ---- d. wait until every accepted hit is in DuckDB ----------------------------------------------

# wrk stops counting at the deadline with one request in flight per connection, and the server
# still stores those; so besides wrk's 202 count we also wait for the server's own accepted counter.
log "waiting up to ${DRAIN_TIMEOUT_S}s for $ACCEPTED hits to be written"
drain_deadline=$((SECONDS + DRAIN_TIMEOUT_S))
WRITTEN_TOTAL=0
SERVER_ACCEPTED=0
LANDED_AT=""
while ((SECONDS < drain_deadline)); do
  METRICS="$(curl -s --max-time 5 "$BASE/metrics" || true)"
  WRITTEN_TOTAL="$(metric hitkeep_writer_hits_written_total "$METRICS")"
  SERVER_ACCEPTED="$(metric hitkeep_ingest_accepted_total "$METRICS")"
  if ((WRITTEN_TOTAL - WRITTEN_BEFORE >= ACCEPTED && WRITTEN_TOTAL >= SERVER_ACCEPTED)); then
    LANDED_AT="$(now)"; break
  fi
  sleep 0.25
done
stop_pid "$SAMPLER_PID" 2
SAMPLER_PID=""
WRITTEN=$((WRITTEN_TOTAL - WRITTEN_BEFORE))
if [[ -z "$LANDED_AT" ]]; then
  log "only $WRITTEN of $ACCEPTED hits written after ${DRAIN_TIMEOUT_S}s"
  LANDED_AT="$(now)"
  LANDED_NOTE=" (not all landed)"
else
  LANDED_NOTE=""
fi
LAND_SECONDS="$(awk -v a="$LOAD_START" -v b="$LANDED_AT" 'BEGIN { printf "%.2f", b - a }')"
DRAIN_SECONDS="$(awk -v a="$LOAD_END" -v b="$LANDED_AT" 'BEGIN { printf "%.2f", b - a }')"
LANDED_RPS="$(awk -v n="$WRITTEN" -v s="$LAND_SECONDS" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')"
LOSS=$((ACCEPTED - WRITTEN))
SERVER_LOSS=$((SERVER_ACCEPTED - WRITTEN_TOTAL))
read -r PEAK_RSS_KIB PEAK_JAVA_KIB PEAK_NATS_KIB < <(sort -n "$RSS_SAMPLES" | tail -n 1) || true

# A 202 is also the answer for deliberately dropped hits; the load should have none.
DROPPED="$(awk '$1 ~ /^hitkeep_ingest_dropped_total/ { n += $2 } END { printf "%d", n }' <<<"$METRICS")"
UNAVAILABLE="$(metric hitkeep_ingest_unavailable_total "$METRICS")"
BATCHES="$(metric hitkeep_writer_batches_total "$METRICS")"
printf '%s\n' "$METRICS" >"$WORK/metrics-after.txt"

TODAY="$(date -u +%F)"   # the site's time zone is UTC; a run across midnight UTC would split the count
curl -s --max-time 60 -H "Cookie: $COOKIE" -o "$WORK/stats.json" \
  "$BASE/api/sites/$SITE_ID/stats?from=$TODAY&to=$TODAY" || true
STATS_PAGEVIEWS="$(grep -o '"summary" *: *{[^}]*}' "$WORK/stats.json" | grep -o '"pageviews" *: *[0-9]*' \
  | grep -o '[0-9]*$' || true)"
STATS_PAGEVIEWS="${STATS_PAGEVIEWS:-?}"

# ---- e. bytes per hit after a clean shutdown ----------------------------------------------------

log "stopping HitKeep (SIGTERM) so DuckDB checkpoints"
stop_pid "$HK_PID" 60
HK_PID=""
if [[ -n "$NATS_PID" ]] && kill -0 "$NATS_PID" 2>/dev/null; then
  log "nats-server $NATS_PID outlived HitKeep; stopping it"
  stop_pid "$NATS_PID" 10
fi
NATS_PID=""
DB="$DATA/hitkeep.db"
DB_BYTES="$(stat -c %s "$DB" 2>/dev/null || echo 0)"
WAL_NOTE=""
if [[ -e "$DB.wal" ]]; then
  WAL_NOTE="hitkeep.db.wal still present after shutdown ($(stat -c %s "$DB.wal") bytes): not fully checkpointed"
fi
if ((WRITTEN_TOTAL > 0)); then
  # every row in the file, the warm-up's included
  BYTES_PER_HIT="$(awk -v b="$DB_BYTES" -v n="$WRITTEN_TOTAL" 'BEGIN { printf "%.1f", b / n }')"
  # bytes/hit * 10^6 hits / 10^6 bytes per MB: the same number, stated against the per-million target.
  MB_PER_MILLION="$BYTES_PER_HIT"
else
  BYTES_PER_HIT="n/a"; MB_PER_MILLION="n/a"
fi
STREAM_BYTES="$(du -sb "$DATA" 2>/dev/null | awk '{ print $1 }')"

# ---- f. report ----------------------------------------------------------------------------------

WARNINGS_TEXT="$(for note in "$WAL_NOTE" "${QUIET_WARNINGS[@]}"; do
  if [[ -n "$note" ]]; then echo "- WARNING: $note"; fi
done)"
RATIO="$(awk -v h="$HK_ACCEPTED_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * h / b : 0) }')"
pass() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
  if (v !~ /^-?[0-9.]+$/) { print "?"; exit }
  ok = (op == ">=" ? v >= t : op == "<=" ? v <= t : op == "<" ? v < t : v == t); print ok ? "yes" : "**no**" }'; }
IDLE_MIB="$(kib_to_mib "$IDLE_RSS_KIB")"
PEAK_MIB="$(kib_to_mib "${PEAK_RSS_KIB:-0}")"

cat <<EOF

## HitKeep ingest benchmark ($(date -u +%FT%TZ))

Load: wrk, $THREADS threads, $CONNECTIONS connections, $DURATION after $WARMUP_ROUNDS x $WARMUP of warm-up, bench/pageviews.lua; $(nproc) cores, Java $("$JAVA" -version 2>&1 | head -n 1 | awk -F'"' '{ print $2 }')${BENCH_JAVA_OPTS:+; HitKeep JVM options: $BENCH_JAVA_OPTS}.

| measure | value | target | met |
|---|---:|---|---|
| bare Helidon req/s | $BARE_RPS | | |
| HitKeep accepted req/s (202) | $HK_ACCEPTED_RPS | | |
| ratio HitKeep / bare | ${RATIO} % | >= 40 % | $(pass "$RATIO" ">=" 40) |
| rows landed/s (load start to last row written) | ${LANDED_RPS}${LANDED_NOTE} | | |
| accepted: 202s wrk saw / 202s server sent / rows written | $ACCEPTED / $SERVER_ACCEPTED / $WRITTEN_TOTAL | | |
| loss (server-sent 202s - rows written) | $SERVER_LOSS | 0 | $(pass "$SERVER_LOSS" "==" 0) |
| bytes per hit (hitkeep.db / rows) | $BYTES_PER_HIT | | |
| MB per million hits | $MB_PER_MILLION | < 40 | $(pass "$MB_PER_MILLION" "<" 40) |
| idle RSS MiB (java + nats-server) | $IDLE_MIB | <= 160 | $(pass "$IDLE_MIB" "<=" 160) |
| peak RSS MiB under load | $PEAK_MIB | <= 512 | $(pass "$PEAK_MIB" "<=" 512) |

Details:
- HitKeep: non-202 responses $NON_202, socket errors $SOCKET_ERRORS, all responses ${HK_RPS} req/s; bare: ${BARE_ACCEPTED_RPS} 202/s.
- wrk's 202s minus rows written: $LOSS. The server's 202 count may exceed wrk's by up to $CONNECTIONS: requests in flight when wrk stopped were stored, but wrk no longer counted their answers.
- Stats API summary.pageviews today: $STATS_PAGEVIEWS$( [[ "$STATS_PAGEVIEWS" == "$WRITTEN_TOTAL" ]] && echo " (equals rows written)" || echo " (MISMATCH with rows written $WRITTEN_TOTAL)"); wrk saw $ACCEPTED accepted.
- Dropped by the pipeline (202 but not stored): $DROPPED; answered 503: $UNAVAILABLE; writer batches: $BATCHES.
- Drain after wrk ended: ${DRAIN_SECONDS} s; load start to all rows landed: ${LAND_SECONDS} s.
- CPU used during the load ($(nproc) cores shared by server and wrk):
  bare run: BareServer $CPU_BARE_LOAD, wrk $CPU_WRK_BARE; machine ${BUSY_BARE}% busy;
  HitKeep run: JVM $CPU_JAVA_LOAD, nats-server $CPU_NATS_LOAD, wrk $CPU_WRK_HK; machine ${BUSY_HK}% busy.
- CPU per request, less sensitive to other load than requests/s: BareServer $(per_request "$CPU_BARE_BEFORE" "$CPU_BARE_AFTER" "$BARE_REQUESTS") µs;
  HitKeep JVM $(per_request "$CPU_JAVA_BEFORE" "$CPU_JAVA_AFTER" "$ACCEPTED") µs and nats-server $(per_request "$CPU_NATS_BEFORE" "$CPU_NATS_AFTER" "$ACCEPTED") µs per accepted hit.
- HitKeep's threads during the load (CPU s): $THREADS_TOP.
- Latency (wrk): bare p50 $(lat 50% "$WORK/wrk-bare.txt"), p99 $(lat 99% "$WORK/wrk-bare.txt"); HitKeep p50 $(lat 50% "$WORK/wrk-hitkeep.txt"), p99 $(lat 99% "$WORK/wrk-hitkeep.txt").
- Peak RSS split: java $(kib_to_mib "${PEAK_JAVA_KIB:-0}") MiB, nats-server $(kib_to_mib "${PEAK_NATS_KIB:-0}") MiB.
- hitkeep.db $DB_BYTES bytes; whole data directory (JetStream included) $STREAM_BYTES bytes.
${WARNINGS_TEXT:+$WARNINGS_TEXT
}- Work directory: $WORK (server log: $HK_LOG)
EOF
