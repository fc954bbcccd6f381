#!/usr/bin/env bash
# The failure drill: a fresh Compose stack with three gateways, a bounded load of numbered pageviews
# through the load balancer (loopback only), and during it: kill -9 of one gateway, of the NATS node
# that leads the hit stream, and of the leading writer (the standby takes over; the killed one is started
# again and stands by). Then it checks through the stats API that every hit that got a 202 is counted
# exactly once, and prints hits sent, 202s, counted, the standby's takeover time (from the kill to the
# new leader's first committed batch, as its log says), the client errors around each kill, and memory
# per container.
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
compose_down
"$HK_COMPOSE_DIR/up.sh" --scale-gateways 3

# the first container of a service; awk reads every line (head -1 would stop reading, and a scaled service's
# later ids could then kill docker-compose with SIGPIPE: under pipefail, exit 141 and the drill fails)
container() { compose ps -q "$1" | awk 'NR == 1'; }
name() { docker inspect -f '{{.Name}}' "$1" | tr -d /; }
event() { echo "$(date +%s.%N) $*" >> "$WORK/events.txt"; say "$*"; }
ready() { docker exec "$1" /usr/local/bin/hk-health >/dev/null 2>&1; }
stream_leader() { # the nats node that leads the hit stream, from its monitoring endpoint
  docker exec "${nats_node[nats-1]}" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8222
    printf "GET /jsz?streams=true HTTP/1.0\r\n\r\n" >&3; cat <&3' | sed -n '/^{/,$p' \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(s["cluster"]["leader"] for a in d["account_details"] for s in a["stream_detail"] if s["name"]=="HITKEEP_HITS"))'
}

# a container's /healthz body: bash's /dev/tcp (the image has no curl), reading exactly Content-Length
# bytes, since the server may keep the connection open after its answer
HEALTHZ='exec 3<>/dev/tcp/127.0.0.1/8080
printf "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3
length=0
while IFS= read -r -t 3 line <&3; do
  line="${line%$'"'"'\r'"'"'}"
  [ -z "$line" ] && break
  case "${line,,}" in content-length:*) length="${line#*: }" ;; esac
done
read -r -t 3 -N "$length" body <&3
printf "%s\n" "$body"'
healthz() { docker exec "$1" bash -c "$HEALTHZ" 2>/dev/null; }
writer_role() { healthz "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("writer", "?"))' 2>/dev/null || echo down; }

python3 "$DRILL" setup "$HITKEEP_PORT" "$WORK/state.json"
sleep 3  # every gateway hears of the new site through the sites bucket
gateway="$(container gateway)"
declare -A writer_node=([writer-1]="$(container writer-1)" [writer-2]="$(container writer-2)")
leader_writer="" standby_writer=""
for _ in $(seq 1 240); do  # both writers up, one leading, one standing by
  r1="$(writer_role "${writer_node[writer-1]}")" r2="$(writer_role "${writer_node[writer-2]}")"
  if [ "$r1/$r2" = "leader/standby" ]; then leader_writer=writer-1 standby_writer=writer-2; break; fi
  if [ "$r1/$r2" = "standby/leader" ]; then leader_writer=writer-2 standby_writer=writer-1; break; fi
  sleep 0.5
done
[ -n "$leader_writer" ] || die "the writers did not settle into a leader and a standby (writer-1: $r1, writer-2: $r2)"
say "$leader_writer leads, $standby_writer stands by"
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
event "kill -9 $leader_writer (the leading writer)"
killed=$(date +%s.%N)
docker kill -s KILL "${writer_node[$leader_writer]}" >/dev/null
standby="${writer_node[$standby_writer]}"
for _ in $(seq 1 300); do  # 60 s at most
  docker logs --since "$killed" "$standby" 2>&1 | grep -q 'first batch after start committed at' && break
  sleep 0.2
done
takeover="$(docker logs --since "$killed" "$standby" 2>&1 | python3 "$DRILL" takeover "$killed" || true)"
figure="takeover: $takeover; $standby_writer's /healthz now says \"$(writer_role "$standby")\""
say "$figure"
echo "$figure" > "$WORK/writer.txt"
event "docker start $leader_writer (it rejoins as the standby)"
docker start "${writer_node[$leader_writer]}" >/dev/null

wait "$load"
event "load finished"
result=0
python3 "$DRILL" check "$HITKEEP_PORT" "$WORK/state.json" "$WORK/hits.txt" "$WORK/events.txt" | tee "$WORK/result.txt" || result=$?
cat "$WORK/writer.txt"
for _ in $(seq 1 120); do  # the restarted writer is back in the group, standing by
  [ "$(writer_role "${writer_node[$leader_writer]}")" = standby ] && break
  sleep 0.5
done
echo "after the drill: $leader_writer is $(writer_role "${writer_node[$leader_writer]}"), $standby_writer is $(writer_role "$standby")"
echo "memory per container (docker stats --no-stream):"
docker stats --no-stream --format '  {{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' $(compose ps -q) | sort

if [ -z "${KEEP:-}" ]; then
  say "removing the stack (KEEP=1 keeps it)"
  compose down -v >/dev/null 2>&1
fi
exit "$result"
