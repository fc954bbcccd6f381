#!/usr/bin/env bash
# Throughput of the Compose stack through its load balancer with 1 and with 3 gateways (wrk from Debian,
# loopback only, bounded), and memory per container. Leaves nothing running.
#   compose/bench.sh                       DURATION=20s CONNECTIONS=64 THREADS=2 compose/bench.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
export HITKEEP_PORT="${HITKEEP_PORT:-18080}"
export HITKEEP_PUBLIC_URL="http://localhost:$HITKEEP_PORT"
export HITKEEP_INGEST_RATE_LIMIT=100000000 HITKEEP_API_RATE_LIMIT=1000000
DRILL="$HK_COMPOSE_DIR/drill/drill.py"
WORK="$(mktemp -d /tmp/hk-bench.XXXXXX)"

need wrk wrk python3 python3
ensure_docker
compose_down
"$HK_COMPOSE_DIR/up.sh" --scale-gateways 1
python3 "$DRILL" setup "$HITKEEP_PORT" "$WORK/state.json"

for gateways in 1 3; do
  if [ "$gateways" != 1 ]; then
    compose up -d --scale gateway="$gateways" >/dev/null 2>&1
    for _ in $(seq 1 90); do
      healthy=$(docker inspect -f '{{.State.Health.Status}}' $(compose ps -q gateway) | grep -c '^healthy$' || true)
      [ "$healthy" = "$gateways" ] && break
      sleep 2
    done
    sleep 8  # the load balancer's DNS hold time and health checks
  fi
  sleep 3
  # warm-up (new gateways start with a cold JIT), then two measured runs
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$HK_COMPOSE_DIR/drill/pageview.lua" "http://127.0.0.1:$HITKEEP_PORT" >/dev/null
  for run in 1 2; do
    say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $gateways gateway(s), run $run"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HK_COMPOSE_DIR/drill/pageview.lua" \
      "http://127.0.0.1:$HITKEEP_PORT" | tee "$WORK/wrk-$gateways-$run.txt"
  done
  echo "memory per container, $gateways gateway(s), right after the load:"
  docker stats --no-stream --format '  {{.Name}}\t{{.MemUsage}}' $(compose ps -q) | sort
done
compose down -v >/dev/null 2>&1
say "figures in $WORK"
