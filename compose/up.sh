#!/usr/bin/env bash
# Builds what is missing and starts the Compose stack: compose/up.sh [--scale-gateways N]
# The stack's one port is ${HITKEEP_PORT:-8080} on ${HITKEEP_BIND:-127.0.0.1}.
# Stop and delete it: docker-compose -f compose/docker-compose.yml down -v
set -euo pipefail
source "$(dirname "$0")/lib.sh"

GATEWAYS=1
[ "${1:-}" = "--scale-gateways" ] && GATEWAYS="${2:?a number}"

ensure_docker
for image in hitkeep-debian:bookworm hitkeep-jre:bookworm hitkeep:latest hitkeep-lb:latest; do
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    "$HK_COMPOSE_DIR/build-images.sh"
    break
  fi
done

# one JWT secret for every role, kept beside the compose file (not in git)
env_file="$HK_COMPOSE_DIR/.env"
if ! grep -q '^HITKEEP_JWT_SECRET=' "$env_file" 2>/dev/null; then
  say "writing a new HITKEEP_JWT_SECRET to $env_file"
  umask 077
  echo "HITKEEP_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> "$env_file"
fi

say "starting the stack (${GATEWAYS} gateway(s)); the first start takes a minute or two"
compose up -d --scale gateway="$GATEWAYS"
for _ in $(seq 1 120); do
  unhealthy="$(compose ps -q | xargs docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
    | grep -v ' healthy$' || true)"
  [ -z "$unhealthy" ] && { say "stack is up: http://${HITKEEP_BIND:-127.0.0.1}:${HITKEEP_PORT:-8080}/"; exit 0; }
  sleep 2
done
say "not healthy after 4 minutes:"; echo "$unhealthy" >&2
exit 1
