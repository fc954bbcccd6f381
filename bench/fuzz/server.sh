# Sourced by the scripts of this folder: starts the single binary (JAR, default app/target/hitkeep.jar)
# with a fresh data directory on a free loopback port, waits until it is ready, and stops it on exit.
# Sets ROOT, JAVA_BIN, WORK (a temporary folder), LOG, PORT and HK_PID. Extra settings for the server go in
# the HITKEEP_* variables exported before `start_hitkeep`.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="${JAR:-$ROOT/app/target/hitkeep.jar}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then JAVA_BIN=/usr/lib/jvm/temurin-25-jdk-amd64/bin; else JAVA_BIN="$(dirname "$(command -v java)")"; fi
[[ -f "$JAR" ]] || { echo "no $JAR: build it with ./mvnw -B -pl app -am package -DskipTests" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

WORK="$(mktemp -d /tmp/hitkeep-bench.XXXXXX)"
LOG="$WORK/hitkeep.log"
HK_PID=""
cleanup() {
  if [[ -n "$HK_PID" ]] && kill -0 "$HK_PID" 2>/dev/null; then
    kill -TERM "$HK_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$HK_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$HK_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK/data"
}
trap cleanup EXIT INT TERM

start_hitkeep() {
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  HITKEEP_HTTP_HOST=127.0.0.1 HITKEEP_HTTP_PORT="$PORT" HITKEEP_DATA_PATH="$WORK/data" \
    "$JAVA_BIN/java" -jar "$JAR" >"$LOG" 2>&1 &
  HK_PID=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$HK_PID" 2>/dev/null || { echo "HitKeep exited:"; tail -30 "$LOG"; exit 1; }
    sleep 0.1
  done
  echo "HitKeep was not ready after 60 s:"; tail -30 "$LOG"; exit 1
}

# whether the server still answers /healthz
still_answering() {
  curl -fsS -m 5 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && echo yes || echo no
}
