#!/usr/bin/env bash
# Times small API requests at rest, for two builds in one run, each on its own copy of the same installation: what a
# request costs besides its own work (the HTTP layer, the caller's session, the store call, the site's rights).
#   BASE_JAR=/tmp/hitkeep-main.jar SEEDED=/tmp/hitkeep-stats-bench.X/seeded bash bench/dashboard/requests.sh
# SEEDED: an installation seeded by stats.sh (its $OUT/seeded). CALLS: calls per request and build (default 21, GAP
# seconds apart, default 0.3: a dashboard's requests come in bursts with pauses between). ROUNDS: builds alternate
# this many times (default 2). Prints the median of each request in seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18197}
. bench/lib.sh
CALLS=${CALLS:-21}
GAP=${GAP:-0.3}
ROUNDS=${ROUNDS:-2}
trap 'hk_stop_quietly' EXIT
hk_seeded_builds requests

# the median of CALLS calls of one request, GAP seconds apart
timed() {
  local times=()
  for _ in $(seq 1 "$CALLS"); do
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' -b "$COOKIES" "$BASE$1")")
    sleep "$GAP"
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (CALLS + 1) / 2 ))p"
}

TODAY=$(date -u +%F)
YEAR_AGO=$(date -u -d "$TODAY - 364 days" +%F)
for ROUND in $(seq 1 "$ROUNDS"); do
  for BUILD in base new; do
    hk_start_seeded "$BUILD"
    line="$BUILD round $ROUND:"
    for request in /healthz /api/me /api/sites /api/sites/1 "/api/sites/1/stats?from=$TODAY&to=$TODAY&parts=summary" \
        "/api/sites/1/stats?from=$YEAR_AGO&to=$TODAY"; do
      line="$line $request $(timed "$request")"
    done
    echo "$line" | tee -a "$OUT/timings.txt"
    hk_stop
  done
done
