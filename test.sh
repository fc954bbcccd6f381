#!/usr/bin/env bash
# Runs every test: unit and integration tests of all modules (real nats-server, real DuckDB files,
# separate JVMs for the crash and split-deployment tests, hk.js in headless Chromium), then the
# black-box contract checks in ../shared/contract when that folder is present.
set -euo pipefail
cd "$(dirname "$0")"
HITKEEP_NEED_BROWSER=1
. scripts/prerequisites.sh

./mvnw -B verify

if [ -f ../shared/contract/check ]; then
  command -v python3 >/dev/null 2>&1 || { say "python3 is needed for the contract checks (apt-get install python3)"; exit 1; }
  say "contract checks against app/target/hitkeep.jar"
  HK_JAVA_HOME="$JAVA_HOME" sh ../shared/contract/check
fi
