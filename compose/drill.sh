#!/usr/bin/env bash
# The failure drill: a fresh Compose stack with three gateways, a bounded load of numbered pageviews
# through the load balancer (loopback only), and during it: kill -9 of one gateway, of the NATS node
# that leads the hit stream, and of the writer (then `docker start`: there is one writer until the
# standby lands). Then it checks through the stats API that every hit that got a 202 is counted exactly
# once, and prints hits sent, 202s, counted, the client errors around each kill, and memory per container.
#
#   compose/drill.sh            (root on a fresh Debian: installs docker.io, docker-compose, debootstrap)
#   HITS=24000 RATE=400 HITKEEP_PORT=18080 compose/drill.sh
#   KEEP=1 compose/drill.sh     leave the stack running afterwards
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HITS="${HITS:-24000}"
RATE="${RATE:-400}"
export HITKEEP_PORT="${HITKEEP_PORT:-18080}"
export HITKEEP_PUBLIC_URL="http://localhost:$HITKEEP_PORT"
# every client of the drill comes from one address (Docker's proxy): lift the per-address limits
export HITKEEP_INGEST_RATE_LIMIT=100000000 HITKEEP_API_RATE_LIMIT=1000000
DRILL="$HK_COMPOSE_DIR/drill/drill.py"
WORK="$(mktemp -d /tmp/hk-drill.XXXXXX)"

need python3 python3
ensure_docker
say "a fresh stack (docker-compose down -v, then up with 3 gateways); work files in $WORK"
compose down -v --remove-orphans >/dev/null 2>&1 || true
"$HK_COMPOSE_DIR/up.sh" --scale-gateways 3

container() { compose ps -q "$1" | head -1; }
name() { docker inspect -f '{{.Name}}' "$1" | tr -d /; }
event() { echo "$(date +%s.%N) $*" >> "$WORK/events.txt"; say "$*"; }
ready() { docker exec "$1" /usr/local/bin/hk-health >/dev/null 2>&1; }
stream_leader() { # the nats node that leads the hit stream, from its monitoring endpoint
  docker exec "${nats_node[nats-1]}" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8222
    printf "GET /jsz?streams=true HTTP/1.0\r\n\r\n" >&3; cat <&3' | sed -n '/^{/,$p' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(s["cluster"]["leader"] for a in d["account_details"] for s in a["stream_detail"] if s["name"]=="HITKEEP_HITS"))'
}

python3 "$DRILL" setup "$HITKEEP_PORT" "$WORK/state.json"
sleep 3  # every gateway hears of the new site through the sites bucket
gateway="$(container gateway)"
writer="$(container writer-1)"
declare -A nats_node=([nats-1]="$(container nats-1)" [nats-2]="$(container nats-2)" [nats-3]="$(container nats-3)")
say "load: $HITS pageviews at about $RATE/s"
python3 "$DRILL" load "$HITKEEP_PORT" "$HITS" "$RATE" "$WORK/hits.txt" &
load=$!
began=$(date +%s)
span=$((HITS / RATE))
at() { # waits until this share (in percent) of the load's planned span has passed
  local due=$((began + span * $1 / 100))
  while [ "$(date +%s)" -lt "$due" ]; do sleep 0.2; done
}

at 15
event "kill -9 gateway $(name "$gateway")"
docker kill -s KILL "$gateway" >/dev/null
at 30
event "docker start gateway $(name "$gateway")"
docker start "$gateway" >/dev/null

at 40
leader="$(stream_leader)"
nats="${nats_node[$leader]}"
event "kill -9 $leader (leader of the hit stream)"
docker kill -s KILL "$nats" >/dev/null
at 55
event "docker start $leader"
docker start "$nats" >/dev/null

at 65
event "kill -9 writer-1, then docker start"
killed=$(date +%s.%N)
docker kill -s KILL "$writer" >/dev/null
docker start "$writer" >/dev/null
for _ in $(seq 1 480); do ready "$writer" && break; sleep 0.25; done
back="writer-1 ready again $(python3 -c "import time; print(f'{time.time() - $killed:.1f}')") s after its kill -9 (the standby has not landed)"
say "$back"
echo "$back" > "$WORK/writer.txt"

wait "$load"
event "load finished"
result=0
python3 "$DRILL" check "$HITKEEP_PORT" "$WORK/state.json" "$WORK/hits.txt" "$WORK/events.txt" | tee "$WORK/result.txt" || result=$?
cat "$WORK/writer.txt"
echo "memory per container (docker stats --no-stream):"
docker stats --no-stream --format '  {{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' $(compose ps -q) | sort

if [ -z "${KEEP:-}" ]; then
  say "removing the stack (KEEP=1 keeps it)"
  compose down -v >/dev/null 2>&1
fi
exit "$result"
