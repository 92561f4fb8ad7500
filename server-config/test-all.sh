#!/usr/bin/env bash
# Runs every test: unit tests, the REST API and the stream on Payara Micro, the viewer in
# headless Chromium against a real Xvnc, the operator script on PostgreSQL (127.0.0.1:5432,
# database test, trust authentication) and the EAR on Payara Server.
# Installs the Debian packages it needs first. Extra arguments go to Maven.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/server-config/install-packages.sh" test

cd "$repo"
exec mvn -B verify "$@"
