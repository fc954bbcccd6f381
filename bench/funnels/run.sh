#!/usr/bin/env bash
# Times the goals and funnels answers on a site with N pageviews (default 10,000,000 over 365 days, a tenth of
# the sessions also sending a Signup event), warm, against the summary alone (parts=summary) over the same
# range in the same run: the baseline of a query over the same rows.
#   bash bench/funnels/run.sh [N] [RUNS]        (build first: ./mvnw -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
N=${1:-10000000}
RUNS=${2:-7}
JAR=app/target/hitkeep.jar
DATA=$(mktemp -d /tmp/hitkeep-funnels-bench.XXXXXX)
COOKIES=$DATA/cookies
# KEEP_DATA=1 leaves the data directory (and a running HitKeep on $PORT) for a closer look.
trap 'if [ -z "${KEEP_DATA:-}" ]; then hk_stop_quietly; rm -rf "$DATA"; else echo "kept $DATA, HitKeep pid $PID on $BASE"; fi' EXIT
api() { hk_api "$@"; }

hk_start $JAR "$DATA"
api POST /api/initial-user '{"email":"owner@example.com","password":"funnels-bench-password"}' >/dev/null
SITE=$(api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' | hk_id)
api POST /api/sites/$SITE/goals '{"name":"Pricing","type":"pageview","path":"/pricing"}' >/dev/null
api POST /api/sites/$SITE/goals '{"name":"Docs","type":"pageview","path":"/docs/*"}' >/dev/null
api POST /api/sites/$SITE/goals '{"name":"Signup","type":"event","event":"Signup"}' >/dev/null
api POST /api/sites/$SITE/goals '{"name":"Pro signup","type":"event","event":"Signup","property":{"key":"plan","value":"pro"}}' >/dev/null
STEPS='[{"type":"pageview","path":"/"},{"type":"pageview","path":"/pricing"},{"type":"event","event":"Signup"}]'
SESSION=$(api POST /api/sites/$SITE/funnels "{\"name\":\"Per session\",\"window\":\"session\",\"steps\":$STEPS}" | hk_id)
DAY=$(api POST /api/sites/$SITE/funnels "{\"name\":\"Within a day\",\"window\":\"24h\",\"steps\":$STEPS}" | hk_id)
hk_stop

hk_seed $JAR "$DATA/hitkeep.db" "$SITE" "$N" 365 10
hk_start $JAR "$DATA"
# the rollups catch up on the seeded days in the background at start: measured after it, not during
hk_wait_rolled
RANGE="from=$(date -u -d '-364 days' +%F)&to=$(date -u +%F)"

# one line per answer: the median, fastest and slowest of RUNS warm runs (after two unmeasured ones), in seconds
time_it() {
  local name=$1 path=$2 times=()
  api GET "$path" >/dev/null; api GET "$path" >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' -b "$DATA/cookies" "$BASE$path")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '{ t[NR] = $1 } END {
    printf "%-34s median %.3f s  (min %.3f, max %.3f)\n", name, t[int((NR + 1) / 2)], t[1], t[NR] }'
}
echo "$N pageviews over 365 days; the range is all of it"
time_it "baseline: summary" "/api/sites/$SITE/stats?$RANGE&parts=summary"
time_it "goals (4: 2 pages, 2 events)" "/api/sites/$SITE/stats?$RANGE&parts=goals"
time_it "funnel, 3 steps, per session" "/api/sites/$SITE/funnels/$SESSION?$RANGE"
time_it "funnel, 3 steps, within 24 hours" "/api/sites/$SITE/funnels/$DAY?$RANGE"
time_it "funnel per session, country:DE" "/api/sites/$SITE/funnels/$SESSION?$RANGE&filter=country:DE"
echo "answers:"
api GET "/api/sites/$SITE/stats?$RANGE&parts=summary,goals"; echo
api GET "/api/sites/$SITE/funnels/$SESSION?$RANGE"; echo
api GET "/api/sites/$SITE/funnels/$DAY?$RANGE"; echo
