#!/usr/bin/env bash
# Asks for answers while the rollups catch up at start (after an upgrade, a restore or a rebuild of a big site):
# seeds N pageviews over DAYS days into a stopped installation, starts it, and while hitkeep_rollups_pending_hours
# is above 0 asks, in turn, the 12-month funnel (24 hours), the 12-month stats with every part and the goals part,
# printing each status and time (and the body of any refusal), then the log's SEVERE lines.
#   bash bench/dashboard/catchup.sh [N] [DAYS]     (build first: ./mvnw -B package -DskipTests)
set -u
cd "$(dirname "$0")/../.."
. bench/lib.sh
JAR=${JAR:-app/target/hitkeep.jar}
N=${1:-10000000}
DAYS=${2:-365}
DATA=$(mktemp -d /tmp/hitkeep-catchup.XXXXXX)
COOKIES=$DATA/cookies
trap 'hk_stop_quietly; rm -rf "$DATA"' EXIT

hk_start "$JAR" "$DATA"
hk_api POST /api/initial-user '{"email":"owner@example.com","password":"catchup-bench-password"}' >/dev/null
hk_api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' >/dev/null
STEPS='[{"type":"pageview","path":"/"},{"type":"pageview","path":"/pricing"},{"type":"event","event":"Signup"}]'
hk_api POST /api/sites/1/funnels "{\"name\":\"Within a day\",\"window\":\"24h\",\"steps\":$STEPS}" >/dev/null
hk_stop
hk_seed "$JAR" "$DATA/hitkeep.db" 1 "$N" "$DAYS" 10 >/dev/null
hk_start "$JAR" "$DATA"
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
