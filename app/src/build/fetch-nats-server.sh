#!/usr/bin/env bash
# Puts Debian's nats-server program into the jar, so that `java -jar hitkeep.jar` needs only a JDK. Run by
# Maven (generate-resources) as: fetch-nats-server.sh <target dir>. No Maven artifact ships the program, and
# downloading it at run time would break "nothing is fetched at run time"; Debian's package is signed, so
# apt checks the .deb against the signed Packages file, and this script checks it once more (SHA256 from
# the Packages file) and the program against the package's own md5sums.
#   linux-amd64: `apt-get download nats-server` (or the .deb already in apt's cache)
#   linux-arm64: the same with a private apt state for arm64 (the system's apt configuration is not
#                touched); skipped with a warning when the mirror cannot be reached
# Writes <target>/classes/io/hitkeep/core/nats-server/linux-<arch>/{nats-server,nats-server.sha256,VERSION}.
set -euo pipefail

target=$(cd "$1" 2>/dev/null && pwd || { mkdir -p "$1" && cd "$1" && pwd; })
out="$target/classes/io/hitkeep/core/nats-server"
work="$target/nats-server-download"
mkdir -p "$out" "$work"

missing() {
  echo "fetch-nats-server: $*" >&2
  echo "fetch-nats-server: the jar carries Debian's nats-server program; build on Debian (or Ubuntu) with apt-get and dpkg-deb," >&2
  echo "fetch-nats-server: e.g. as root: apt-get install nats-server, which also leaves the .deb in apt's cache" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || missing "apt-get was not found"
command -v dpkg-deb >/dev/null 2>&1 || missing "dpkg-deb was not found"

# apt option sets: the system's own state for amd64, a private one (lists and cache in $work) for arm64
system_apt=()
arm64_state="$work/apt-arm64"
arm64_apt=(-o "Dir::State::Lists=$arm64_state/lists" -o "Dir::Cache=$arm64_state/cache"
           -o "Dir::State::status=$arm64_state/status" -o APT::Architecture=arm64
           -o APT::Architectures::=arm64 -o Acquire::Languages=none)

# Packages-file field of nats-server for the apt options given: field name, then the options
package_field() {
  local field=$1; shift
  apt-cache "$@" show nats-server 2>/dev/null | awk -v f="$field:" '$1 == f { print $2; exit }'
}

embed() {  # arch, then apt options
  local arch=$1; shift
  local dir="$out/linux-$arch"
  if [ -s "$dir/nats-server" ] && [ -s "$dir/nats-server.sha256" ]; then
    return 0
  fi
  local version sha256 deb
  version=$(package_field Version "$@")
  sha256=$(package_field SHA256 "$@")
  [ -n "$version" ] && [ -n "$sha256" ] || { echo "fetch-nats-server: apt knows no nats-server for $arch" >&2; return 1; }
  deb="$work/nats-server_${version//:/%3a}_$arch.deb"
  if [ ! -s "$deb" ]; then
    local cached="/var/cache/apt/archives/$(basename "$deb")"
    if [ -s "$cached" ]; then
      cp "$cached" "$deb"
    else
      (cd "$work" && apt-get "$@" download "nats-server:$arch" >/dev/null 2>&1) \
          || { echo "fetch-nats-server: apt-get download nats-server:$arch failed" >&2; return 1; }
    fi
  fi
  echo "$sha256  $deb" | sha256sum --quiet -c - \
      || { rm -f "$deb"; echo "fetch-nats-server: $deb does not match the SHA256 of Debian's Packages file" >&2; return 1; }
  local unpacked="$work/unpacked-$arch"
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  dpkg-deb -x "$deb" "$unpacked"
  dpkg-deb -e "$deb" "$unpacked/DEBIAN"
  (cd "$unpacked" && grep ' usr/sbin/nats-server$' DEBIAN/md5sums | md5sum --quiet -c -) \
      || { echo "fetch-nats-server: usr/sbin/nats-server does not match the package's md5sums" >&2; return 1; }
  mkdir -p "$dir"
  cp "$unpacked/usr/sbin/nats-server" "$dir/nats-server"
  cp "$unpacked/usr/share/doc/nats-server/copyright" "$dir/copyright"
  echo "$version" > "$dir/VERSION"
  # the supervisor checks what it unpacks against this
  sha256sum "$dir/nats-server" | awk '{ print $1 }' > "$dir/nats-server.sha256"
  echo "fetch-nats-server: embedded Debian's nats-server $version for linux-$arch" >&2
}

if ! embed amd64 "${system_apt[@]}"; then
  # the package lists may be missing (a fresh container): refresh them as root, then try once more
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
  fi
  embed amd64 "${system_apt[@]}" || missing "could not get Debian's nats-server package for amd64 (apt-get download nats-server)"
fi

if [ ! -s "$out/linux-arm64/nats-server" ]; then
  mkdir -p "$arm64_state/lists/partial" "$arm64_state/cache/archives/partial"
  touch "$arm64_state/status"
  if [ -z "$(package_field Version "${arm64_apt[@]}")" ]; then
    apt-get "${arm64_apt[@]}" update -qq >/dev/null 2>&1 || true
  fi
  embed arm64 "${arm64_apt[@]}" \
      || echo "fetch-nats-server: WARNING: no arm64 nats-server embedded (Debian's mirror not reachable?); the jar needs a system nats-server on arm64" >&2
fi
