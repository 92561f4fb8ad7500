#!/usr/bin/env bash
# Installs the Debian packages the demo ("demo"), the tests ("test") or the benchmark
# ("benchmark") need, when missing.
set -euo pipefail

packages=(tigervnc-standalone-server tigervnc-tools x11-xserver-utils x11-apps x11-utils xterm
  ffmpeg socat)
case "${1:-test}" in
  test) packages+=(chromium chromium-driver websockify nginx) ;;
  benchmark) packages=(websockify socat) ;;
esac
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing ${missing[*]}"
sudo=""
[[ "$(id -u)" == 0 ]] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
  >/dev/null
