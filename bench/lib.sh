# Shared by the benchmark scripts that run the single binary on a data directory of their own
# (dashboard/run.sh, dashboard/stats.sh, dashboard/live.sh, dashboard/requests.sh, dashboard/catchup.sh, funnels/run.sh,
# reports/run.sh):
#   . bench/lib.sh       after `cd` to the checkout; then set PORT, or take the free one chosen here.
# Finds Java (scripts/prerequisites.sh), and defines:
#   hk_start JAR DATA [LOG]   starts HitKeep on DATA (log: LOG or DATA/hitkeep.log), waits for /readyz; sets PID
#   hk_stop                   stops it (SIGTERM; the broker stops with it)
#   hk_api METHOD PATH [JSON] calls the API with the cookie jar $COOKIES (sign in once: it keeps the session)
#   hk_id                     the "id" of the JSON object on stdin
#   hk_seed JAR DB SITE N DAYS [ARGS...]   stores N pageviews over DAYS days into a stopped installation (SeedHits.java)
#   hk_wait_rolled            waits until the rollups have caught up (hitkeep_rollups_pending_hours 0, or no such gauge)
#   hk_wait_filters           waits until the filters asked for are rolled up (hitkeep_rollups_filters at least 1 and
#                             hitkeep_rollups_filter_days_lacking 0); a build without filter rollups returns at once
#   hk_seeded_builds NAME     for a script that compares two builds on copies of one seeded installation: reads JAR
#                             (default this tree's), BASE_JAR and SEEDED (both required), makes OUT (default a new
#                             /tmp/hitkeep-NAME-bench.*) and sets COOKIES
#   hk_start_seeded BUILD     starts BUILD (base: $BASE_JAR, else $JAR) on a fresh copy of $SEEDED in $OUT/BUILD, waits
#                             for its rollups and signs in as the seeded site's owner
# The caller's EXIT trap should call hk_stop_quietly, so that nothing it started outlives it.
. scripts/prerequisites.sh
JAVA=$JAVA_HOME/bin/java
PORT=${PORT:-$((20000 + RANDOM % 20000))}
BASE=http://127.0.0.1:$PORT
PID=

hk_start() {
  local log=${3:-$2/hitkeep.log}
  if curl -fs "$BASE/readyz" >/dev/null; then echo "something else answers on port $PORT; set PORT" >&2; exit 1; fi
  HITKEEP_DATA_PATH=$2 HITKEEP_HTTP_PORT=$PORT HITKEEP_HTTP_HOST=127.0.0.1 "$JAVA" -jar "$1" >>"$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do curl -fs "$BASE/readyz" >/dev/null && return; sleep 0.5; done
  echo "HitKeep did not start; see $log" >&2; exit 1
}
hk_stop() { kill "$PID"; wait "$PID" || true; PID=; }
hk_stop_quietly() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
hk_api() {
  curl -fs -X "$1" "$BASE$2" -H 'Content-Type: application/json' -H "Origin: $BASE" -b "$COOKIES" -c "$COOKIES" ${3:+-d "$3"}
}
hk_id() { sed 's/.*"id":\([0-9]*\).*/\1/'; }
hk_seed() {
  local jar=$1; shift
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$jar" bench/dashboard/SeedHits.java "$@"
}
hk_wait_rolled() {
  local pending
  for _ in $(seq 1 4800); do
    pending=$(curl -fs "$BASE/metrics" | awk '/^hitkeep_rollups_pending_hours / {print $2}')
    # a build without rollups has no such gauge
    if [ -z "$pending" ] || [ "$pending" = 0 ]; then return; fi
    sleep 0.5
  done
  echo "the rollups did not catch up (pending hours: $pending)" >&2; exit 1
}
hk_wait_filters() {
  local filters lacking metrics
  for _ in $(seq 1 1200); do
    metrics=$(curl -fs "$BASE/metrics")
    filters=$(echo "$metrics" | awk '/^hitkeep_rollups_filters / {print int($2)}')
    lacking=$(echo "$metrics" | awk '/^hitkeep_rollups_filter_days_lacking / {print int($2)}')
    if [ -z "$filters" ] || { [ "$filters" -ge 1 ] && [ "$lacking" = 0 ]; }; then return; fi
    sleep 0.5
  done
  echo "the filters were not rolled up (days lacking: $lacking)" >&2; exit 1
}
hk_seeded_builds() {
  JAR=${JAR:-app/target/hitkeep.jar}
  BASE_JAR=${BASE_JAR:?set BASE_JAR to the baseline build}
  SEEDED=${SEEDED:?set SEEDED to an installation seeded by stats.sh}
  OUT=${OUT:-$(mktemp -d "/tmp/hitkeep-$1-bench.XXXXXX")}
  mkdir -p "$OUT"
  COOKIES=$OUT/cookies
  echo "results in $OUT"
}
hk_start_seeded() {
  local data=$OUT/$1 jar=$JAR
  [ "$1" = base ] && jar=$BASE_JAR
  rm -rf "$data"
  cp -r "$SEEDED" "$data"
  rm -f "$data/hitkeep.log" "$COOKIES"
  hk_start "$jar" "$data"
  hk_wait_rolled
  hk_api POST /api/login '{"email":"owner@example.com","password":"stats-bench-password"}' >/dev/null
}
