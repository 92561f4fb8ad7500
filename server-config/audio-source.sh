#!/usr/bin/env bash
# Serves a computer's sound to the gateway: every TCP connection to the port receives Opus audio
# in WebM from its start, encoded by ffmpeg, until the connection closes. Register the address
# as the computer's audio_url (tcp://host:port). Needs ffmpeg and socat.
#
#   server-config/audio-source.sh [--bind ADDRESS] [--port PORT] SOUND
#
# SOUND is one of:
#   --pulse SOURCE   a PulseAudio source, such as the desktop's output: --pulse @DEFAULT_MONITOR@
#   --tone HZ        a steady sine tone
#   --beep HZ        a short tone every second
#
# --bind defaults to 127.0.0.1 and --port to 4713. Runs until stopped.
set -euo pipefail

usage() {
  sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

bind=127.0.0.1
port=4713
encode=false
sound=()
fail() {
  echo "$1" >&2
  exit 2
}

while (($# > 0)); do
  case "$1" in
    --bind)
      # An IP address or host name: socat would read a comma or a colon as part of its syntax.
      [[ "${2:-}" =~ ^[A-Za-z0-9._-]+$ ]] || fail "--bind needs an IPv4 address or a host name"
      bind="$2"; shift 2 ;;
    --port) [[ -n "${2:-}" ]] || fail "--port needs a number"; port="$2"; shift 2 ;;
    --pulse)
      [[ "${2:-}" =~ ^[A-Za-z0-9@._-]+$ ]] || fail "--pulse needs a PulseAudio source name"
      sound=(--pulse "$2"); shift 2 ;;
    --tone | --beep)
      [[ "${2:-}" =~ ^[0-9]{2,5}$ ]] && ((10#$2 >= 20 && 10#$2 <= 20000)) ||
        fail "$1 needs a frequency from 20 to 20000 hertz, such as 440"
      sound=("$1" "$((10#$2))"); shift 2 ;;
    --encode) encode=true; shift ;;
    -h | --help) usage ;;
    *) echo "Unknown option $1" >&2; usage ;;
  esac
done
((${#sound[@]} > 0)) || usage

if [[ "$encode" == true ]]; then
  case "${sound[0]}" in
    --pulse) input=(-f pulse -i "${sound[1]}") ;;
    --tone) input=(-re -f lavfi -i "sine=frequency=${sound[1]}:sample_rate=48000") ;;
    --beep) input=(-re -f lavfi -i "aevalsrc=0.4*sin(2*PI*${sound[1]}*t)*lt(mod(t\,1)\,0.15):s=48000") ;;
  esac
  # One connection: socat hands the socket to this process as standard output. Clusters of at
  # most 100 ms and a flush after each packet keep the delay behind the desktop short.
  exec ffmpeg -hide_banner -loglevel fatal -nostdin "${input[@]}" \
    -c:a libopus -b:a 48k -application lowdelay -frame_duration 20 \
    -f webm -live 1 -cluster_time_limit 100 -flush_packets 1 pipe:1
fi

[[ "$port" =~ ^[0-9]{1,5}$ ]] && ((10#$port >= 1 && 10#$port <= 65535)) ||
  fail "--port needs a number from 1 to 65535, not $port"
for tool in ffmpeg socat; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }
done
script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
echo "Serving audio on tcp://$bind:$port"
# socat splits the command at spaces and reads commas as option separators.
exec socat "TCP-LISTEN:$port,bind=$bind,reuseaddr,fork,nodelay" "EXEC:$script --encode ${sound[*]}"
