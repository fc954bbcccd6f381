#!/usr/bin/env bash
# Builds HitKeep if needed and starts the single binary with its defaults (port 8080, data in ./data).
# Any argument is passed on, e.g. ./run.sh --http-port=9090
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

jar=app/target/hitkeep.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name '*.sql' -o -name pom.xml -o -name hk.js \) -newer "$jar" -print -quit)" ]; then
  say "building (first run takes a few minutes: Maven downloads its dependencies)"
  ./mvnw -B -q -DskipTests install
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "$@"
