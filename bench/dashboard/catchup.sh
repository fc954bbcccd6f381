#!/usr/bin/env bash
# Asks for answers while the rollups catch up at start (after an upgrade, a restore or a rebuild of a big site):
# seeds N pageviews over DAYS days into a stopped installation, starts it, and while hitkeep_rollups_pending_hours
# is above 0 asks, in turn, the 12-month funnel (24 hours), the 12-month stats with every part and the goals part,
# printing each status and time (and the body of any refusal), then the log's SEVERE lines.
#   bash bench/dashboard/catchup.sh [N] [DAYS]     (build first: ./mvnw -B package -DskipTests)
set -u
cd "$(dirname "$0")/../.."
. scripts/prerequisites.sh
JAVA=$JAVA_HOME/bin/java
JAR=${JAR:-app/target/hitkeep.jar}
N=${1:-10000000}
DAYS=${2:-365}
DATA=$(mktemp -d /tmp/hitkeep-catchup.XXXXXX)
PORT=${PORT:-$((20000 + RANDOM % 20000))}
BASE=http://127.0.0.1:$PORT
PID=
trap 'if [ -n "$PID" ]; then kill $PID 2>/dev/null; wait $PID 2>/dev/null; fi; rm -rf "$DATA"' EXIT
start() {
  HITKEEP_DATA_PATH=$DATA HITKEEP_HTTP_PORT=$PORT HITKEEP_HTTP_HOST=127.0.0.1 "$JAVA" -jar "$JAR" >>"$DATA/hitkeep.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do curl -fs "$BASE/readyz" >/dev/null && return; sleep 0.5; done
  echo "HitKeep did not start; see $DATA/hitkeep.log" >&2; exit 1
}
api() { curl -fs -X "$1" "$BASE$2" -H 'Content-Type: application/json' -H "Origin: $BASE" -b "$DATA/cookies" -c "$DATA/cookies" ${3:+-d "$3"}; }

start
api POST /api/initial-user '{"email":"owner@example.com","password":"catchup-bench-password"}' >/dev/null
api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' >/dev/null
STEPS='[{"type":"pageview","path":"/"},{"type":"pageview","path":"/pricing"},{"type":"event","event":"Signup"}]'
api POST /api/sites/1/funnels "{\"name\":\"Within a day\",\"window\":\"24h\",\"steps\":$STEPS}" >/dev/null
kill $PID; wait $PID; PID=
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" bench/dashboard/SeedHits.java "$DATA/hitkeep.db" 1 "$N" "$DAYS" 10 >/dev/null
start
RANGE="from=$(date -u -d "-$((DAYS - 1)) days" +%F)&to=$(date -u +%F)"
while :; do
  pending=$(curl -fs "$BASE/metrics" | awk '/^hitkeep_rollups_pending_hours / {print $2}')
  for path in "/api/sites/1/funnels/1?$RANGE" "/api/sites/1/stats?$RANGE" "/api/sites/1/stats?$RANGE&parts=goals"; do
    answer=$(curl -s -o "$DATA/last.json" -w '%{http_code} %{time_total}' -b "$DATA/cookies" "$BASE$path")
    echo "pending hours ${pending:-?}: $answer $path"
    case $answer in 200*) ;; *) head -c 300 "$DATA/last.json"; echo ;; esac
  done
  if [ -z "$pending" ] || [ "$pending" = 0 ]; then break; fi
done
grep "SEVERE" -A1 "$DATA/hitkeep.log" | cut -c1-300 | head -20
