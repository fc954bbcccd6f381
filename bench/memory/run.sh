#!/usr/bin/env bash
# Resident memory of the single binary at rest (issue 13): the JVM and the processes it starts (the
# broker: nats-server, and its watch shell where setpriv is missing), 10 s after /readyz, then 10 s after the first user, a site and
# one more sign-in. Every jar runs in turn in the same invocation, each on a fresh data directory and a
# free loopback port; what this script starts, it stops.
#
#   bash bench/memory/run.sh                                  this tree's app/target/hitkeep.jar
#   BASE_JAR=/tmp/main.jar bash bench/memory/run.sh           BASE_JAR first, then this tree's jar
#   ROUNDS=2 ...                                              each jar twice, alternating
#   JAVA_OPTS_EXTRA="-XX:TieredStopAtLevel=1" ...             JVM options for every run (a -Xmx of
#                                                             your own turns the jar's tuning off)
#   NMT=1 ...                                                 Native Memory Tracking's summary and the
#                                                             largest mappings too (NMT costs some MB itself)
set -euo pipefail
shopt -s inherit_errexit  # measure runs in $(...): a failed sign-in must stop the script, not leave a figure
cd "$(dirname "$0")/../.."
. scripts/prerequisites.sh
JAVA=$JAVA_HOME/bin/java
SETTLE_S=${SETTLE_S:-10}
ROUNDS=${ROUNDS:-1}
NMT=${NMT:-0}
WORK=$(mktemp -d /tmp/hitkeep-memory-bench.XXXXXX)
PID=""
BROKER_PIDS=""

stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null || true
  fi
  # nats-server ends with the JVM (setpriv, or the watch shell); this is only for a JVM that hung
  for pid in $BROKER_PIDS; do kill -TERM "$pid" 2>/dev/null || true; done
  PID=""
  BROKER_PIDS=""
}
trap 'stop; rm -rf "$WORK"' EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

descendants() {  # every process below pid $1
  local child
  for child in $(ps -o pid= --ppid "$1"); do echo "$child"; descendants "$child"; done
}

rss_mib() {  # resident MiB of the given pids, summed
  local pid kib=0
  for pid in "$@"; do kib=$((kib + $(ps -o rss= -p "$pid" 2>/dev/null || echo 0))); done
  awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1024 }'
}

snapshot() {  # "java broker total" resident MiB
  local java broker
  java=$(rss_mib "$PID")
  # shellcheck disable=SC2086 # a list of pids
  broker=$(rss_mib $BROKER_PIDS)
  echo "$java $broker $((java + broker))"
}

details() {  # what the JVM is made of at this moment, on stderr
  local label=$1
  {
    echo "--- $label: platform threads $("$JAVA_HOME/bin/jcmd" "$PID" Thread.print 2>/dev/null | grep -c '^"')"
    "$JAVA_HOME/bin/jcmd" "$PID" GC.heap_info 2>/dev/null | grep -E 'total|used' | sed 's/^ */    /'
    if [ "$NMT" = 1 ]; then
      # the total, then each category's committed MB, largest first
      "$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary scale=MB 2>/dev/null | awk '
        /^Total:/ { sub(/^Total: /, ""); sub(/ MB *$/, ""); total = $0 }
        END { if (total != "") printf "%s\t%s\n", 9999, "NMT total: " total }
        /^-/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
               if (match($0, /committed=[0-9]+/)) printf "%s\t%s\n", substr($0, RSTART + 10, RLENGTH - 10), name }' \
        | sort -t$'\t' -k1,1nr | head -n 12 \
        | awk -F'\t' '$1 == 9999 { print "    " $2; next } { printf "    %5s MB  %s\n", $1, $2 }'
      echo "    largest mappings (RSS KiB, dirty KiB, mapping):"
      pmap -x "$PID" | awk '$3 ~ /^[0-9]+$/ && $1 != "total" { name = $6; if (name == "[") name = $7;
          printf "    %8d %8d  %s %s\n", $3, $4, $1, name }' | sort -k1,1nr | head -n 8
    fi
  } >&2
}

measure() {  # label jar: prints "label idle-java idle-broker idle-total signed-in-java ... total"
  local label=$1 jar=$2 data port base idle
  trap stop EXIT  # this runs in $(...), a subshell, which does not inherit the script's trap
  data=$WORK/$label-data
  mkdir -p "$data"
  port=$(free_port)
  base=http://127.0.0.1:$port
  (
    cd "$WORK"  # not the caller's hitkeep.yaml
    export HITKEEP_HTTP_HOST=127.0.0.1 HITKEEP_HTTP_PORT=$port HITKEEP_DATA_PATH=$data
    # shellcheck disable=SC2086 # lists of options
    exec "$JAVA" ${NMT_FLAG:-} ${JAVA_OPTS_EXTRA:-} -jar "$jar" >"$data/hitkeep.log" 2>&1
  ) &
  PID=$!
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$base/readyz" && break
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$data/hitkeep.log" >&2; exit 1; }
    sleep 0.25
  done
  curl -fs -o /dev/null "$base/readyz" || { echo "$label did not become ready" >&2; exit 1; }
  BROKER_PIDS=$(descendants "$PID" | tr '\n' ' ')
  sleep "$SETTLE_S"
  idle=$(snapshot)
  details "$label idle"

  local api=(curl -fsS -o /dev/null -b "$data/cookies" -c "$data/cookies" -H 'Content-Type: application/json'
    -H "Origin: $base" -H 'Sec-Fetch-Site: same-origin')
  "${api[@]}" -X POST "$base/api/initial-user" -d '{"email":"memory@example.com","password":"memory-bench-password"}'
  "${api[@]}" -X POST "$base/api/sites" -d '{"domain":"example.com","name":"Example","timezone":"UTC"}'
  rm -f "$data/cookies"
  "${api[@]}" -X POST "$base/api/login" -d '{"email":"memory@example.com","password":"memory-bench-password"}'
  "${api[@]}" "$base/api/sites"
  sleep "$SETTLE_S"
  echo "$label $idle $(snapshot)"
  details "$label signed in"
  stop
}

JARS=()
if [ -n "${BASE_JAR:-}" ]; then
  cp "$BASE_JAR" "$WORK/base.jar"  # a rebuild during the run must not swap a jar under a running JVM
  JARS+=(base)
fi
cp app/target/hitkeep.jar "$WORK/this.jar"
JARS+=(this)
[ "$NMT" = 1 ] && NMT_FLAG=-XX:NativeMemoryTracking=summary

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  for name in "${JARS[@]}"; do
    RESULTS+=("$(measure "$name-$round" "$WORK/$name.jar")")
  done
done

echo
echo "Resident MiB, $(nproc) cores, $("$JAVA" -version 2>&1 | head -n 1)${JAVA_OPTS_EXTRA:+, extra options: $JAVA_OPTS_EXTRA}${NMT_FLAG:+, with NMT}; broker = nats-server and any watch shell"
echo
echo "| run | idle: java | broker | total | signed in, one site: java | broker | total |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for row in "${RESULTS[@]}"; do
  # shellcheck disable=SC2086 # a row of words
  printf '| %s | %s | %s | **%s** | %s | %s | **%s** |\n' $row
done
