#!/usr/bin/env bash
# Measures the gateway side by side with websockify, socat and direct TCP on 127.0.0.1: relay
# throughput and CPU, round trips, connect time, memory per idle stream, paced viewers and ticket
# minting on H2 and PostgreSQL. Prints a Markdown report (header, table, details). A full run
# (no --quick, --no-postgres or --only) takes about 7 minutes and also writes the report to
# benchmark/RESULTS.md; other runs write it to benchmark/target/benchmark-run/RESULTS.md.
# --quick takes about 3 minutes.
#
#   --no-build     skip the build and reuse what this script's last build left, including
#                  benchmark/target/classpath.txt, which a plain 'mvn package' does not write
#   --quick        shorter windows, fewer streams, viewers and connects
#   --no-postgres  skip minting on PostgreSQL (otherwise 127.0.0.1:5432, database test, user
#                  postgres, trust authentication)
#   --profile      record the gateway with Java Flight Recorder and print its hottest methods
#   --only LIST    comma-separated sections: throughput, round_trip, connect, memory, viewers,
#                  minting (set-up and the gateway's warm-up run whatever the list)
#
# Needs Java 17 with jcmd (a full JDK) and Maven; installs socat, websockify and, when missing,
# npm from Debian's packages. Ctrl-C stops everything it started.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

build=true
expect_sections=false
for argument in "$@"; do
  if $expect_sections; then
    expect_sections=false
    continue
  fi
  case "$argument" in
    --no-build) build=false ;;
    --quick | --no-postgres | --profile) ;;
    --only) expect_sections=true ;;
    *) echo "benchmark: unknown option '$argument'; see the comment at the top of $0" >&2; exit 2 ;;
  esac
done
if $expect_sections; then
  echo "benchmark: --only needs a comma-separated list of sections" >&2
  exit 2
fi

"$repo/server-config/install-packages.sh" benchmark
command -v jcmd >/dev/null ||
  { echo "benchmark: jcmd is missing; install a full JDK (Debian: openjdk-17-jdk-headless)" >&2; exit 2; }

if $build; then
  # In the reactor, so that the web module's test classes come from this checkout's build.
  mvn -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
elif [[ ! -f benchmark/target/classpath.txt ]]; then
  echo "benchmark: benchmark/target/classpath.txt is missing: only this script's own build" \
    "writes it, so run it once without --no-build" >&2
  exit 2
fi

# ScriptedGateway starts ../server-config/run-gateway.sh, so the JVM runs in the module's directory.
cd "$repo/benchmark"
exec java -cp "target/classes:$(cat target/classpath.txt)" \
  app.miosa.gateway.benchmark.Benchmark "$@"
