#!/usr/bin/env bash
# Times the 12-month stats request on a live site: stats.sh's seeded site (big.example, site 1) while pageviews
# keep arriving through /ingest, so that today always has hits the roller has not rolled yet (a range reads those
# from the raw hits), for two builds in one run, each on its own copy of the same installation.
#   BASE_JAR=/tmp/hitkeep-main.jar SEEDED=/tmp/hitkeep-stats-bench.X/seeded bash bench/dashboard/live.sh
# SEEDED: an installation seeded by stats.sh (its $OUT/seeded; SEED_ARGS="ordered compact" stores the hits as ingest
# does). RATE: pageviews a second (default 10), from 200 visitors; CALLS: requests per build (default 12, 2 s apart).
# Each call prints its time and the pending hours the roller last saw (p1: today not rolled yet).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18195}
. bench/lib.sh
RATE=${RATE:-10}
CALLS=${CALLS:-12}
PAUSE=$(awk "BEGIN { printf \"%.3f\", 1 / $RATE }")
SENDER=
trap 'kill $SENDER 2>/dev/null || true; hk_stop_quietly' EXIT
hk_seeded_builds live

# pageviews of big.example at RATE a second, from 200 visitors (X-Forwarded-For is believed from loopback)
send() {
  local i=0 v
  while true; do
    i=$((i + 1)); v=$((i % 200))
    curl -s -o /dev/null -X POST "$BASE/ingest" -H 'Content-Type: text/plain' -H 'Origin: https://big.example' \
      -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' \
      -H "X-Forwarded-For: 10.1.$((v / 250)).$((v % 250 + 1))" \
      -d "{\"url\":\"https://big.example/p$((i % 17))\",\"referrer\":\"\",\"lang\":\"de\",\"vp_w\":1280}" || true
    sleep "$PAUSE"
  done
}

TODAY=$(date -u +%F)
YEAR_AGO=$(date -u -d "$TODAY - 364 days" +%F)
for BUILD in ${BUILDS:-base new}; do
  hk_start_seeded "$BUILD"
  send & SENDER=$!
  sleep 10
  times=()
  for _ in $(seq 1 "$CALLS"); do
    pending=$(curl -fs "$BASE/metrics" | awk '/^hitkeep_rollups_pending_hours / {print int($2)}')
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' -b "$COOKIES" "$BASE/api/sites/1/stats?from=$YEAR_AGO&to=$TODAY")/p$pending")
    sleep 2
  done
  kill $SENDER; wait $SENDER 2>/dev/null || true; SENDER=
  median=$(printf '%s\n' "${times[@]}" | sed 's|/.*||' | sort -n | sed -n "$(( (CALLS + 1) / 2 ))p")
  printf '%s 12mo-everything, %s pageviews/s arriving: median %.3f s (%s)\n' "$BUILD" "$RATE" "$median" "${times[*]}" | tee -a "$OUT/timings.txt"
  hk_stop
done
