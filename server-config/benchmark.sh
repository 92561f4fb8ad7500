#!/usr/bin/env bash
# Measures the gateway side by side with websockify, socat and direct TCP on 127.0.0.1: relay
# throughput and CPU, round trips, connect time, memory per idle stream, paced viewers and ticket
# minting on H2 and PostgreSQL. Prints one Markdown table and writes it to
# benchmark/RESULTS.md. A full run takes about 10 minutes; --quick about 3.
#
#   --no-build     skip 'mvn package' and run what was built last
#   --quick        shorter windows, fewer streams, viewers and connects
#   --no-postgres  skip minting on PostgreSQL (otherwise 127.0.0.1:5432, database test, user
#                  postgres, trust authentication)
#   --only LIST    comma-separated sections: throughput, round_trip, connect, memory, viewers,
#                  minting
#
# Needs Java 17 and Maven; installs socat and websockify from Debian's packages when missing.
# Ctrl-C stops everything it started.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

build=true
for argument in "$@"; do
  [[ "$argument" == "--no-build" ]] && build=false
done

"$repo/server-config/install-packages.sh" benchmark
command -v jcmd >/dev/null ||
  { echo "benchmark: jcmd is missing; install a full JDK (Debian: openjdk-17-jdk-headless)" >&2; exit 2; }

if $build; then
  # In the reactor, so that the web module's test classes come from this checkout's build.
  mvn -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
elif [[ ! -f benchmark/target/classpath.txt ]]; then
  echo "benchmark: benchmark/target/classpath.txt is missing; run once without --no-build" >&2
  exit 2
fi

# ScriptedGateway starts ../server-config/run-gateway.sh, so the JVM runs in the module's directory.
cd "$repo/benchmark"
exec java -cp "target/classes:$(cat target/classpath.txt)" \
  app.miosa.gateway.benchmark.Benchmark "$@"
