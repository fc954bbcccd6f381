#!/usr/bin/env bash
# Times GET /api/sites/{id}/stats on a site with N pageviews over DAYS days (default 10,000,000 over 365) for
# two builds in the same run, each on its own copy of the same seeded data: BASE_JAR (the baseline, e.g. a
# jar of the landed main) and JAR (this tree). Cold = the first call of a request after the start; warm = the
# median of the next five. Then EXPLAIN ANALYZE of the 12-month queries on both copies (ExplainStats.java).
#   BASE_JAR=/tmp/hitkeep-main.jar bash bench/dashboard/stats.sh [N] [DAYS]
# BUILDS="new base" measures this tree first; SEEDED=dir reuses a seeded installation; SEED_ARGS="ordered compact"
# seeds the hits in time order with CompactIds' ids, as ingest stores them (without: scattered, with full 64-bit ids,
# which no time-bounded scan or session-id filter can skip; SeedHits.java). The filtered request
# is called three times from the raw hits (the first is its cold figure), then after its filter's rollups are rolled
# (a build without them does not wait) five more times, the warm figure.
# Results (answers, timings, logs, profiles) stay in the printed directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18191}
. bench/lib.sh
N=${1:-10000000}
DAYS=${2:-365}
JAR=${JAR:-app/target/hitkeep.jar}
BASE_JAR=${BASE_JAR:?set BASE_JAR to the baseline build}
OUT=${OUT:-$(mktemp -d /tmp/hitkeep-stats-bench.XXXXXX)}
COOKIES=$OUT/cookies
EMAIL=owner@example.com
PASSWORD=stats-bench-password
trap hk_stop_quietly EXIT
echo "results in $OUT"
rss() {  # resident MiB of the JVM and its nats-server child
  local kb=0 child
  kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
  for child in $(pgrep -P $PID) $(pgrep -P "$(pgrep -P $PID | tr '\n' ',' | sed 's/,$//')" 2>/dev/null || true); do
    kb=$((kb + $(awk '/VmRSS/ {print $2}' /proc/$child/status 2>/dev/null || echo 0)))
  done
  echo $((kb / 1024))
}

# One installation made by the baseline build, seeded while stopped, then copied for the other build
# (SEEDED=dir reuses one seeded earlier the same day by this script).
SITE=1
if [ -z "${SEEDED:-}" ]; then
  SEEDED=$OUT/seeded
  mkdir -p "$SEEDED"
  hk_start "$BASE_JAR" "$SEEDED"
  hk_api POST /api/initial-user "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
  SITE=$(hk_api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' | hk_id)
  hk_stop
  hk_seed "$BASE_JAR" "$SEEDED/hitkeep.db" "$SITE" "$N" "$DAYS" ${SEED_ARGS:-}
  rm -f "$OUT/cookies"
fi

TODAY=$(date -u +%F)
MONTH_AGO=$(date -u -d "$TODAY - 29 days" +%F)
YEAR_AGO=$(date -u -d "$TODAY - 364 days" +%F)
REQUESTS=(
  "30d-summary-chart from=$MONTH_AGO&to=$TODAY&parts=summary,chart"
  "30d-everything from=$MONTH_AGO&to=$TODAY"
  "12mo-summary-chart from=$YEAR_AGO&to=$TODAY&parts=summary,chart"
  "12mo-everything from=$YEAR_AGO&to=$TODAY"
  "12mo-filtered-country from=$YEAR_AGO&to=$TODAY&filter=country:DE"
  "1d-everything from=$TODAY&to=$TODAY"
)

for BUILD in ${BUILDS:-base new}; do
  DATA=$OUT/$BUILD
  rm -rf "$DATA"
  cp -r "$SEEDED" "$DATA"
  rm -f "$DATA/hitkeep.log"
  [ $BUILD = base ] && BUILD_JAR=$BASE_JAR || BUILD_JAR=$JAR
  started=$(date +%s.%N)
  hk_start "$BUILD_JAR" "$DATA"
  echo "$BUILD: ready after $(echo "$(date +%s.%N) - $started" | bc) s, RSS $(rss) MiB"
  # rollups catch up on the seeded days in the background (a build without them has nothing to wait for); time it
  hk_wait_rolled
  echo "$BUILD: rollups caught up $(echo "$(date +%s.%N) - $started" | bc) s after the start, RSS $(rss) MiB"
  hk_api POST /api/login "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
  peak=0
  for entry in "${REQUESTS[@]}"; do
    name=${entry%% *}; query=${entry#* }
    times=()
    runs=6; [[ $name == *filtered* ]] && runs=8
    for run in $(seq 1 $runs); do
      t=$(curl -fs -o "$OUT/$BUILD-$name.json" -w '%{time_total}' -b "$OUT/cookies" "$BASE/api/sites/$SITE/stats?$query")
      times+=("$t")
      r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
      # a filter is rolled up after its first request (FilterRollups): three calls from the raw hits, the roll, five more
      if [[ $name == *filtered* && $run = 3 ]]; then
        raw=("${times[@]}"); times=("${times[0]}")
        waited=$(date +%s.%N)
        hk_wait_filters
        printf '%s %-24s from the raw hits: %s; filter rolled up %.0f s after its first call\n' "$BUILD" "$name" "${raw[*]}" \
          "$(echo "$(date +%s.%N) - $waited" | bc)" | tee -a "$OUT/timings.txt"
      fi
    done
    cold=${times[0]}
    warm=$(printf '%s\n' "${times[@]:1}" | sort -n | sed -n 3p)
    printf '%s %-24s cold %6.3f s  warm %6.3f s  (%s)\n' "$BUILD" "$name" "$cold" "$warm" "${times[*]}" | tee -a "$OUT/timings.txt"
  done
  echo "$BUILD: peak RSS while answering $peak MiB" | tee -a "$OUT/timings.txt"
  hk_stop
  rm -f "$OUT/cookies"
done

# How far apart the two builds' answers are (pageviews, sessions, bounce rate exact; visitors within the sketch error)
python3 - "$OUT" <<'EOF'
import json, sys, glob, os
out = sys.argv[1]
for base in sorted(glob.glob(f"{out}/base-*.json")):
    name = os.path.basename(base)[5:-5]
    if not os.path.exists(f"{out}/new-{name}.json"):
        continue
    a = json.load(open(base)); b = json.load(open(f"{out}/new-{name}.json"))
    sa, sb = a.get("summary", {}), b.get("summary", {})
    diffs = [f"{k} {sa[k]} vs {sb.get(k)}" for k in ("pageviews", "sessions", "bounce_rate", "avg_session_duration") if k in sa and sa[k] != sb.get(k)]
    if "visitors" in sa:
        err = (sb["visitors"] - sa["visitors"]) / max(1, sa["visitors"]) * 100
        diffs.append(f"visitors {sa['visitors']} vs {sb['visitors']} ({err:+.2f} %{', approximate' if sb.get('approximate') else ''})")
    if "chart" in a and [(p["t"], p["pageviews"], p["visitors"]) for p in a["chart"]] != [(p["t"], p["pageviews"], p["visitors"]) for p in b["chart"]]:
        diffs.append("chart differs")
    worst = 0.0
    for key, rows in a.items():
        if isinstance(rows, list) and key not in ("chart", "goals", "event_props"):
            other = {r["value"]: r for r in b.get(key, [])}
            for r in rows:
                o = other.get(r["value"])
                count = "count" if "count" in r else "pageviews"
                if o is None or o[count] != r[count]:
                    diffs.append(f"{key} {r['value']} {r[count]} vs {o and o[count]}")
                elif r["visitors"]:
                    worst = max(worst, abs(o["visitors"] - r["visitors"]) / r["visitors"] * 100)
    print(f"{name}: " + ("; ".join(diffs) or "same") + (f"; list visitors worst {worst:.2f} %" if worst else ""))
EOF

for BUILD in base new; do
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$([ $BUILD = base ] && echo "$BASE_JAR" || echo "$JAR")" \
    bench/dashboard/ExplainStats.java "$OUT/$BUILD/hitkeep.db" "$SITE" "$YEAR_AGO" "$TODAY" $BUILD >"$OUT/explain-$BUILD.txt" 2>&1 || true
  echo "EXPLAIN ANALYZE ($BUILD): $OUT/explain-$BUILD.txt"; grep -E '^(query|Total Time)' "$OUT/explain-$BUILD.txt" || true
done
