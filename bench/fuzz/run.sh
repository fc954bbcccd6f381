#!/usr/bin/env bash
# Fuzz run: starts the single binary (app/target/hitkeep.jar) with a fresh data directory on a free
# loopback port, sends REQUESTS mutated requests (routes and raw framing cases, fuzz.py) with valid
# pageviews interleaved, then prints requests, statuses, 5xx, non-JSON error bodies, valid hits sent and
# counted, and what the server logged. Bounded: fuzz.py stops after SECONDS whatever it reached.
#
#   bash bench/fuzz/run.sh                      # 100,000 requests, at most 15 minutes
#   REQUESTS=20000 SECONDS_MAX=120 bash bench/fuzz/run.sh
#   JAR=/tmp/other.jar bash bench/fuzz/run.sh    # another build, e.g. to compare with an older one
#
# The server runs with a 2 s read timeout (instead of 10 s): truncated requests are part of the mix and
# each waits that long for the rest. Rate limits are lifted, or the fuzzer would mostly measure 429s.
set -euo pipefail

REQUESTS="${REQUESTS:-100000}"
SECONDS_MAX="${SECONDS_MAX:-900}"
WORKERS="${WORKERS:-64}"
. "$(dirname "${BASH_SOURCE[0]}")/server.sh"

export HITKEEP_HTTP_READ_TIMEOUT=2s HITKEEP_LOGIN_RATE_LIMIT=100000000 HITKEEP_API_RATE_LIMIT=100000000 \
  HITKEEP_INGEST_RATE_LIMIT=100000000
start_hitkeep
echo "[fuzz] HitKeep on 127.0.0.1:$PORT (log $LOG), $REQUESTS requests, at most $SECONDS_MAX s"

set +e
timeout $((SECONDS_MAX + 180)) python3 "$ROOT/bench/fuzz/fuzz.py" --port "$PORT" --requests "$REQUESTS" \
  --seconds "$SECONDS_MAX" --workers "$WORKERS"
FUZZ_STATUS=$?
set -e

ALIVE="$(still_answering)"
RSS_KB="$(awk '/VmRSS/ {print $2}' "/proc/$HK_PID/status" 2>/dev/null || echo '?')"
echo "server: still answering /healthz: $ALIVE, RSS $((${RSS_KB:-0} / 1024)) MB"
echo "server log: $(wc -l <"$LOG") lines, $(wc -c <"$LOG") bytes, $(grep -c $'^\tat ' "$LOG" || true) stack trace lines," \
     "$(grep -c 'SEVERE' "$LOG" || true) SEVERE, $(grep -c 'WARNING' "$LOG" || true) WARNING," \
     "$(grep -c 'were not logged' "$LOG" || true) lines reporting left-out repeats"
grep -E 'SEVERE|WARNING' "$LOG" | sed -E 's/^[0-9T:.-]+ //' | cut -c1-160 | sort | uniq -c | sort -rn | head -8
exit "$FUZZ_STATUS"
