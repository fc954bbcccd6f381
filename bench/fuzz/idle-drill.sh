#!/usr/bin/env bash
# Idle-connection drill: starts the single binary with its default settings (a fresh data directory, a
# free loopback port) and keeps CONNECTIONS idle or slow connections open against it for HOLD seconds
# (idle_drill.py), while /healthz is timed every 100 ms. Prints the probe's latencies, how many
# connections the server closed, its memory, and what it logged. Goal: every probe within 100 ms.
#
#   bash bench/fuzz/idle-drill.sh                       # 20,000 connections held for 60 s
#   CONNECTIONS=5000 HOLD=30 bash bench/fuzz/idle-drill.sh
#   JAR=/tmp/other.jar bash bench/fuzz/idle-drill.sh     # another build
set -euo pipefail

CONNECTIONS="${CONNECTIONS:-20000}"
HOLD="${HOLD:-60}"
DRILL_ARGS="${DRILL_ARGS:-}"      # e.g. --no-reopen: do not replace the connections the server closes
. "$(dirname "${BASH_SOURCE[0]}")/server.sh"

# a descriptor per connection: the drill spreads its connections over processes within this limit
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start_hitkeep
echo "[drill] HitKeep on 127.0.0.1:$PORT (log $LOG), open files limit $(ulimit -n), $CONNECTIONS connections for $HOLD s"
grep -o 'listening on .*' "$LOG" | head -1

# the server's memory while the drill runs: highest RSS, and the heap after the hold
PEAK_FILE="$WORK/peak-rss-kb"
echo 0 >"$PEAK_FILE"
( while kill -0 "$HK_PID" 2>/dev/null; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$HK_PID/status" 2>/dev/null || echo 0)"
    (( rss > $(cat "$PEAK_FILE") )) && echo "$rss" >"$PEAK_FILE"
    sleep 0.5
  done ) &
SAMPLER=$!

set +e
python3 "$ROOT/bench/fuzz/idle_drill.py" --port "$PORT" --connections "$CONNECTIONS" --hold "$HOLD" $DRILL_ARGS
DRILL_STATUS=$?
set -e
kill "$SAMPLER" 2>/dev/null || true

ALIVE="$(still_answering)"
echo "server: alive and answering afterwards: $ALIVE, peak RSS $(( $(cat "$PEAK_FILE") / 1024 )) MB"
"$JAVA_BIN/jcmd" "$HK_PID" GC.heap_info 2>/dev/null | grep -E 'total|used' | head -3 || true
echo "server log: $(wc -l <"$LOG") lines, $(grep -c $'^\tat ' "$LOG" || true) stack trace lines"
grep -E 'WARNING|SEVERE|closed' "$LOG" | sed -E 's/^[0-9T:.-]+ //' | cut -c1-150 | sort | uniq -c | sort -rn | head -6
exit "$DRILL_STATUS"
