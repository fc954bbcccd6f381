#!/usr/bin/env bash
# Times the dashboard in Chromium on a site with N pageviews (default 1,000,000 over 90 days) against the
# same dashboard on a site with one pageview, both served by one HitKeep in the same run.
#   bash bench/dashboard/run.sh [N]        (build first: ./mvnw -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
HITKEEP_NEED_BROWSER=1
. scripts/prerequisites.sh
JAVA=$JAVA_HOME/bin/java
N=${1:-1000000}
JAR=app/target/hitkeep.jar
DATA=$(mktemp -d /tmp/hitkeep-dashboard-bench.XXXXXX)
PORT=${PORT:-18181}
BASE=http://127.0.0.1:$PORT
EMAIL=owner@example.com
PASSWORD=dashboard-bench-password
# KEEP_DATA=1 leaves the data directory (and a running HitKeep on $PORT) for a closer look.
trap 'if [ -z "${KEEP_DATA:-}" ]; then kill $PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; else echo "kept $DATA, HitKeep pid $PID on $BASE"; fi' EXIT

start() {
  HITKEEP_DATA_PATH=$DATA HITKEEP_HTTP_PORT=$PORT HITKEEP_HTTP_HOST=127.0.0.1 "$JAVA" -jar $JAR >>"$DATA/hitkeep.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fs "$BASE/readyz" >/dev/null && return; sleep 0.5; done
  echo "HitKeep did not start; see $DATA/hitkeep.log" >&2; exit 1
}
api() { curl -fs -X "$1" "$BASE$2" -H 'Content-Type: application/json' -H "Origin: $BASE" -b "$DATA/cookies" -c "$DATA/cookies" ${3:+-d "$3"}; }

start
api POST /api/initial-user "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
BIG=$(api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' | sed 's/.*"id":\([0-9]*\).*/\1/')
EMPTY=$(api POST /api/sites '{"domain":"empty.example","timezone":"UTC"}' | sed 's/.*"id":\([0-9]*\).*/\1/')
kill $PID; wait $PID || true

"$JAVA" --enable-native-access=ALL-UNNAMED -cp $JAR bench/dashboard/SeedHits.java "$DATA/hitkeep.db" "$BIG" "$N" 90
"$JAVA" --enable-native-access=ALL-UNNAMED -cp $JAR bench/dashboard/SeedHits.java "$DATA/hitkeep.db" "$EMPTY" 1 1
start
cd browser-tests
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
for RANGE in ${RANGES:-today 30d 12mo}; do
  echo "baseline (1 pageview), $RANGE: $(node perf/dashboard-load.mjs $BASE $EMAIL $PASSWORD $EMPTY $RANGE 5)"
  echo "$N pageviews, $RANGE:       $(node perf/dashboard-load.mjs $BASE $EMAIL $PASSWORD $BIG $RANGE 5)"
done
