# Shared by build-images.sh, up.sh and drill.sh: finds or installs Debian's docker.io, docker-compose and
# debootstrap, and starts a dockerd of our own when none answers. Sourced, not run.
#
# HK_DOCKER_SOCKET  the daemon to use (default: $DOCKER_HOST, else our own at unix:///run/hk-docker.sock)

HK_COMPOSE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HK_ROOT="$(cd "$HK_COMPOSE_DIR/.." && pwd)"

say() { printf '[%s %s] %s\n' "$(basename "$0" .sh)" "$(date +%T)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# apt-get install for the named commands' packages, when a command is missing and we are root
need() { # need command package [command package ...]
  local missing=()
  while [ $# -ge 2 ]; do
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: run as root, or apt-get install ${missing[*]}"
  say "installing ${missing[*]} (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Makes sure `docker` talks to a running daemon; starts our own when none answers.
ensure_docker() {
  need dockerd docker.io docker-compose docker-compose
  export DOCKER_HOST="${DOCKER_HOST:-unix:///run/hk-docker.sock}"
  if docker version >/dev/null 2>&1; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "no docker daemon answers at $DOCKER_HOST, and starting one needs root"
  local socket="${DOCKER_HOST#unix://}"
  say "starting dockerd on $DOCKER_HOST (data in /var/lib/hk-docker, log /tmp/hk-dockerd.log)"
  mkdir -p /var/lib/hk-docker
  # extra flags for sandboxes without iptables or overlayfs, e.g. HK_DOCKERD_FLAGS="--iptables=false --storage-driver=vfs"
  # shellcheck disable=SC2086
  nohup dockerd --data-root /var/lib/hk-docker -H "$DOCKER_HOST" --pidfile /run/hk-docker.pid \
    ${HK_DOCKERD_FLAGS:-} >/tmp/hk-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    [ -S "$socket" ] && docker version >/dev/null 2>&1 && return 0
    sleep 1
  done
  tail -20 /tmp/hk-dockerd.log >&2
  die "dockerd did not start; see /tmp/hk-dockerd.log"
}

# The project name is Compose's default (the folder: "compose"), so a plain
# `docker-compose -f compose/docker-compose.yml down -v` finds what these scripts started.
compose() {
  docker-compose -f "$HK_COMPOSE_DIR/docker-compose.yml" "$@"
}

# Takes the stack down, volumes too. The compose file requires a JWT secret even for that: without compose/.env (a
# first run from this checkout) down would fail quietly, and a stack left by another checkout would be reused, data
# and all.
compose_down() {
  HITKEEP_JWT_SECRET="${HITKEEP_JWT_SECRET:-not-used-by-down}" compose down -v --remove-orphans >/dev/null 2>&1 || true
}
