#!/usr/bin/env bash
# Times the dashboard in Chromium on a site with N pageviews (default 1,000,000 over 90 days) against the
# same dashboard on a site with one pageview, both served by one HitKeep in the same run.
#   bash bench/dashboard/run.sh [N]        (build first: ./mvnw -B package -DskipTests)
# JAR= another build; RANGES= the ranges (default: today 30d 12mo); BENCH_LOCK= see below
set -euo pipefail
cd "$(dirname "$0")/../.."
HITKEEP_NEED_BROWSER=1
. bench/lib.sh
N=${1:-1000000}
JAR=${JAR:-app/target/hitkeep.jar}
DATA=$(mktemp -d /tmp/hitkeep-dashboard-bench.XXXXXX)
COOKIES=$DATA/cookies
EMAIL=owner@example.com
PASSWORD=dashboard-bench-password
# KEEP_DATA=1 leaves the data directory (and a running HitKeep on $PORT) for a closer look.
trap 'if [ -z "${KEEP_DATA:-}" ]; then hk_stop_quietly; rm -rf "$DATA"; else echo "kept $DATA, HitKeep pid $PID on $BASE"; fi' EXIT

hk_start $JAR "$DATA"
hk_api POST /api/initial-user "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
BIG=$(hk_api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' | hk_id)
EMPTY=$(hk_api POST /api/sites '{"domain":"empty.example","timezone":"UTC"}' | hk_id)
hk_stop

hk_seed $JAR "$DATA/hitkeep.db" "$BIG" "$N" 90
hk_seed $JAR "$DATA/hitkeep.db" "$EMPTY" 1 1
hk_start $JAR "$DATA"
hk_wait_rolled
cd browser-tests
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
# BENCH_LOCK=FILE: the timings (only) under flock FILE, for a machine shared with other benchmarks
LOCKED=${BENCH_LOCK:+flock $BENCH_LOCK}
for RANGE in ${RANGES:-today 30d 12mo}; do
  echo "baseline (1 pageview), $RANGE: $($LOCKED node perf/dashboard-load.mjs $BASE $EMAIL $PASSWORD $EMPTY $RANGE 5)"
  echo "$N pageviews, $RANGE:       $($LOCKED node perf/dashboard-load.mjs $BASE $EMAIL $PASSWORD $BIG $RANGE 5)"
done
