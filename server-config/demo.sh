#!/usr/bin/env bash
# The demo: installs what is missing, builds the gateway, then starts a real desktop (Xvnc),
# the gateway on Payara Micro and a customer page on http://localhost:4000 that embeds it.
# Ctrl-C stops everything it started.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/server-config/install-packages.sh" demo

cd "$repo"
mvn -q -B package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/classpath.txt

cd "$repo/web"
exec java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  app.miosa.gateway.demo.Demo
