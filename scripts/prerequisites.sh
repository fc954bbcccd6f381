# Sourced by run.sh and test.sh: finds (or, as root on Debian, installs) what HitKeep needs, and says
# plainly what is missing otherwise. Sets JAVA_HOME to a JDK 21 or newer.

say() { printf 'hitkeep: %s\n' "$*" >&2; }

java_major() {  # prints the major version of the java binary $1
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  return 1
}

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  say "installing $* with apt-get"
  if [ -z "${HITKEEP_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null && export HITKEEP_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! find_jdk; then
  if can_install && apt-cache show openjdk-21-jdk-headless >/dev/null 2>&1; then
    apt_install openjdk-21-jdk-headless
  fi
  if ! find_jdk; then
    say "HitKeep needs a JDK 21 or newer (java 17 is too old for Helidon 4)."
    say "Install one (Debian 13: apt-get install openjdk-21-jdk-headless; elsewhere Temurin 21+) and set JAVA_HOME."
    exit 1
  fi
fi
export PATH="$JAVA_HOME/bin:$PATH"

# Running needs no nats-server: the jar carries Debian's. Building it needs apt-get and dpkg-deb to take the
# program from Debian's package (app/src/build/fetch-nats-server.sh); the tests (test.sh) run the system's.
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  if [ ! -f app/target/hitkeep.jar ]; then
    say "building HitKeep needs apt-get and dpkg-deb (Debian or Ubuntu): the jar carries Debian's nats-server program."
    say "Build on Debian, or copy a built app/target/hitkeep.jar here: running it needs only a JDK 21+."
    exit 1
  fi
fi
if [ "$(basename "${0:-}")" = test.sh ] && ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  if can_install; then
    apt_install nats-server
  fi
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    say "the tests run a real nats-server. Install it with: sudo apt-get install nats-server"
    exit 1
  fi
fi

# The browser tests (browser-tests module) drive hk.js in Debian's chromium with playwright-core from npm;
# the tracker module minifies hk.js with esbuild from npm. test.sh sets HITKEEP_NEED_BROWSER=1.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if can_install; then
    apt_install nodejs npm
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "HitKeep's build needs node 18+ and npm (esbuild minifies the tracker). Install them with: sudo apt-get install nodejs npm"
    exit 1
  fi
fi

if [ "${HITKEEP_NEED_BROWSER:-}" = 1 ]; then
  export HITKEEP_CHROMIUM="${HITKEEP_CHROMIUM:-/usr/bin/chromium}"
  if [ ! -x "$HITKEEP_CHROMIUM" ]; then
    if can_install; then
      apt_install chromium
    fi
    if [ ! -x "$HITKEEP_CHROMIUM" ]; then
      say "the browser tests need Chromium at $HITKEEP_CHROMIUM. Install it with: sudo apt-get install chromium"
      say "or point HITKEEP_CHROMIUM at a Chromium or Chrome binary."
      exit 1
    fi
  fi
fi
