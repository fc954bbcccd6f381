#!/usr/bin/env bash
# Exports, backups and archived months on a site with N pageviews (default 1,000,000 over 90 days), each against
# a baseline measured in the same run:
#   - export of every hit as CSV, NDJSON and Parquet: wall time against DuckDB's own COPY of the same rows to CSV
#     (from the backup), bytes, and the server's peak resident memory during the export (VmHWM, reset before each
#     one) against its resident memory after a stats request;
#   - a backup through the running writer (ATTACH + COPY FROM DATABASE) against `cp` of the checkpointed file;
#   - the stats of a whole month read from its Parquet archive against the same month read from the table.
#   bash bench/reports/run.sh [N]        (build first: ./mvnw -B package -DskipTests)
#   EXPORTS="csv" SKIP_SCATTERED=1 bash bench/reports/run.sh     (fewer exports)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18182}
. bench/lib.sh
N=${1:-1000000}
JAR=app/target/hitkeep.jar
DATA=$(mktemp -d /tmp/hitkeep-reports-bench.XXXXXX)
mkdir -p "$DATA/data"
COOKIES=$DATA/cookies
EMAIL=owner@example.com
PASSWORD=reports-bench-password
trap 'hk_stop_quietly; rm -rf "$DATA"' EXIT

start() {
  hk_start $JAR "$DATA/data" "$DATA/hitkeep.log"
  # the JVM that serves (java -jar restarts itself with tuned memory settings under the same pid)
  JPID=$PID
}
api() { hk_api "$@"; }
kib() { awk -v k="$1" '$1==k":" {print $2}' /proc/$JPID/status; }
seconds() { curl -s -o "$2" -w '%{time_total}' -b "$DATA/cookies" "$BASE$1"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start
api POST /api/initial-user "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
SITE=$(api POST /api/sites '{"domain":"big.example","timezone":"UTC"}' | hk_id)
SCATTERED=$(api POST /api/sites '{"domain":"scattered.example","timezone":"UTC"}' | hk_id)
hk_stop
# in time order, as ingest stores hits; and the same again in a scattered order (a worst case: an import)
hk_seed $JAR "$DATA/data/hitkeep.db" "$SITE" "$N" 90 ordered
hk_seed $JAR "$DATA/data/hitkeep.db" "$SCATTERED" "$N" 90
start
FROM=$(date -u -d '-100 days' +%F); TO=$(date -u +%F)
seconds "/api/sites/$SITE/stats?from=$FROM&to=$TO" /dev/null >/dev/null
echo "server resident after a 100-day stats request: $(( $(kib VmRSS) / 1024 )) MiB"
for FORMAT in ${EXPORTS:-csv ndjson parquet}; do
  echo 5 > /proc/$JPID/clear_refs
  T=$(seconds "/api/sites/$SITE/export?from=$FROM&to=$TO&format=$FORMAT" "$DATA/export.$FORMAT")
  ROWS=$([ $FORMAT = parquet ] && echo "-" || wc -l < "$DATA/export.$FORMAT")
  echo "export $FORMAT: ${T}s, $(( $(stat -c %s "$DATA/export.$FORMAT") / 1048576 )) MiB, $ROWS lines, peak resident $(( $(kib VmHWM) / 1024 )) MiB"
  rm -f "$DATA/export.$FORMAT"
done
[ -n "${SKIP_SCATTERED:-}" ] || {
echo 5 > /proc/$JPID/clear_refs
T=$(seconds "/api/sites/$SCATTERED/export?from=$FROM&to=$TO&format=csv" "$DATA/export.csv")
echo "export csv of the scattered site: ${T}s, $(wc -l < "$DATA/export.csv") lines, peak resident $(( $(kib VmHWM) / 1024 )) MiB"
rm -f "$DATA/export.csv"
}

B0=$(date +%s.%N)
HITKEEP_DATA_PATH=$DATA/data "$JAVA" -jar $JAR backup --to "$DATA/backups" >/dev/null 2>"$DATA/backup.err"
B1=$(date +%s.%N)
echo "backup command (new JVM + writer's copy): $(echo "$B1 - $B0" | bc) s; $(cat "$DATA/backup.err")"
RAW=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp $JAR bench/reports/RawCopy.java "$(ls -d "$DATA"/backups/hitkeep-backup-*)/hitkeep.db" "$SITE" "$DATA/raw.csv")
echo "baseline: DuckDB's own COPY of the same site's rows to CSV from the backup (no paging, broker or HTTP): ${RAW}s"
rm -f "$DATA/raw.csv"

# a whole month, from the table: then archived (server stopped), and the same month from Parquet
MONTH=$(date -u -d "$(date -u +%Y-%m-01) -2 month" +%Y-%m)
MFROM=$MONTH-01; MTO=$(date -u -d "$MFROM +1 month -1 day" +%F)
before() { for _ in 1 2 3 4 5 6; do seconds "/api/sites/$SITE/stats?from=$MFROM&to=$MTO" /dev/null; echo; done | tail -5 | median; }
TABLE=$(before)
api PATCH /api/sites/$SITE '{"retention_days":31}' >/dev/null
hk_stop
ls -la "$DATA/data/hitkeep.db" | awk '{print "hitkeep.db: " int($5/1048576) " MiB"}'
C0=$(date +%s.%N); cp "$DATA/data/hitkeep.db" "$DATA/copy.db"; C1=$(date +%s.%N); rm "$DATA/copy.db"
echo "baseline: cp of the checkpointed hitkeep.db (server stopped): $(echo "$C1 - $C0" | bc) s"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp $JAR bench/reports/ArchiveMonths.java "$DATA/data"
start
ARCHIVED=$(before)
echo "stats of $MONTH: from the table ${TABLE}s, from its Parquet file ${ARCHIVED}s (median of 5)"
