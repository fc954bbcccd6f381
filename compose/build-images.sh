#!/usr/bin/env bash
# Builds HitKeep's container images without any registry (Docker Hub is not reachable here):
#
#   hitkeep-debian:bookworm  Debian bookworm minbase from debootstrap, brought in with `docker import`
#   hitkeep-jre:bookworm     that plus a Java runtime made with jlink from the host's JDK 25 (see below)
#   hitkeep:latest           the jar, nats-server (Debian's package), a non-root user, data under /data;
#                            the role comes from HITKEEP_ROLE (all|gateway|writer|query|reports) or the command
#   hitkeep-lb:latest        HAProxy (Debian's package) in front of the gateways and the query API
#
# Usage: compose/build-images.sh [--rebuild-base]   (run as root on a fresh Debian: installs what it needs)
#   HK_JDK  the JDK whose jlink makes the runtime (default: /usr/lib/jvm/temurin-25-jdk-amd64, else any 21+)
#   HK_MIRROR  the Debian mirror (default: the first bookworm URI in /etc/apt/sources.list(.d))
#
# Why jlink: bookworm packages openjdk-17 only (`apt-cache policy openjdk-21-jre-headless` has no
# candidate), and HitKeep needs 21+ (22+ for the single binary's tuned restart). Copying the whole
# Temurin 25 JDK would add ~330 MB; a runtime of just the modules the jar uses is a fraction of that.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REBUILD_BASE=0
[ "${1:-}" = "--rebuild-base" ] && REBUILD_BASE=1

ensure_docker
need debootstrap debootstrap

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

mirror() {
  if [ -n "${HK_MIRROR:-}" ]; then echo "$HK_MIRROR"; return; fi
  local uri
  # deb822 (.sources): the URIs line of a stanza whose Suites has plain bookworm
  uri="$(awk '/^URIs:/{u=$2} /^Suites:/{for(i=2;i<=NF;i++) if($i=="bookworm") print u}' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null | awk 'NR == 1')"
  if [ -z "$uri" ]; then
    uri="$(grep -hE '^deb\s+(\[[^]]*\]\s+)?\S+\s+bookworm\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/^deb\s+(\[[^]]*\]\s+)?(\S+).*/\2/' | awk 'NR == 1')"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

build_debian() {
  local root mirror_uri
  mirror_uri="$(mirror)"
  root="$(mktemp -d /tmp/hk-rootfs.XXXXXX)"
  say "debootstrap --variant=minbase bookworm from $mirror_uri (a few minutes)"
  debootstrap --variant=minbase bookworm "$root" "$mirror_uri" >/tmp/hk-debootstrap.log 2>&1 \
    || { tail -20 /tmp/hk-debootstrap.log >&2; die "debootstrap failed; see /tmp/hk-debootstrap.log"; }
  # smaller: no package lists, caches, manuals or translations (apt-get update fetches the lists again)
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/tmp/*
  echo "deb $mirror_uri bookworm main" > "$root/etc/apt/sources.list"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    > "$root/etc/dpkg/dpkg.cfg.d/01-hitkeep-nodoc"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$root/etc/apt/apt.conf.d/01-hitkeep"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - hitkeep-debian:bookworm >/dev/null
  rm -rf "$root"
}

jdk() {
  if [ -n "${HK_JDK:-}" ]; then echo "$HK_JDK"; return; fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -x "$candidate/bin/jlink" ] || continue
    local version
    version="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')"
    [ "${version%%.*}" -ge 21 ] 2>/dev/null && { echo "$candidate"; return; }
  done
  die "no JDK 21+ with jlink under /usr/lib/jvm (set HK_JDK)"
}

# The modules the jar needs, as jdeps reports them, plus the ones found by reflection or services only
# (DNS lookups through JNDI, the EC and zip file systems, JFR for diagnostics).
MODULES="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,\
java.security.jgss,java.security.sasl,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.jfr,\
jdk.management,jdk.charsets,jdk.localedata"

build_jre() {
  local java_home context
  java_home="$(jdk)"
  context="$(mktemp -d /tmp/hk-jre.XXXXXX)"
  local modules="$MODULES"
  # jdk.crypto.ec was folded into java.base in JDK 22; keep only modules this JDK has
  modules="$(echo "$modules" | tr ',' '\n' | while read -r m; do
    "$java_home/bin/java" --list-modules | grep -q "^$m@" && echo "$m"; done | paste -sd,)"
  say "jlink runtime from $java_home: $modules"
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$context/java"
  cat > "$context/Dockerfile" <<'EOF'
FROM hitkeep-debian:bookworm
COPY java /opt/java
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
  docker build -q -t hitkeep-jre:bookworm "$context" >/dev/null
  rm -rf "$context"
}

build_hitkeep() {
  local jar="$HK_ROOT/app/target/hitkeep.jar" context
  if [ ! -f "$jar" ]; then
    say "building the jar (./mvnw -B -pl app -am package -DskipTests)"
    (cd "$HK_ROOT" && JAVA_HOME="$(jdk)" ./mvnw -B -q -pl app -am package -DskipTests)
  fi
  context="$(mktemp -d /tmp/hk-image.XXXXXX)"
  cp "$jar" "$context/hitkeep.jar"
  cp "$HK_COMPOSE_DIR/images/hitkeep/"* "$context/"
  docker build -q -t hitkeep:latest "$context" >/dev/null
  rm -rf "$context"
}

build_lb() {
  docker build -q -t hitkeep-lb:latest "$HK_COMPOSE_DIR/images/lb" >/dev/null
}

if [ "$REBUILD_BASE" = 1 ] || ! image_exists hitkeep-debian:bookworm; then build_debian; fi
if [ "$REBUILD_BASE" = 1 ] || ! image_exists hitkeep-jre:bookworm; then build_jre; fi
say "building hitkeep:latest"
build_hitkeep
say "building hitkeep-lb:latest"
build_lb
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E '^hitkeep' | sort >&2
