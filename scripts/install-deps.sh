#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (as root): Debian packages that are
# missing, then the npm packages from the lockfile. Safe to run again; it skips what is there.
# Usage: install-deps.sh [debian-package ...]   (default: everything the tests need)
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser the tests and benches drive; flite, pocketsphinx(-en-us), sox: the
# reference server's offline engines and audio conversion; python3-pocketsphinx: its warm
# recognisers (the model loaded once, not per request); ffmpeg: the server's speech formats (mp3,
# opus, aac, flac) and ffprobe in its tests, and the decoder of the human-speech fixtures;
# redis-server: the shared rate limits in the server tests; python3-prometheus-client: the
# Prometheus project's own text-format parser, which the /metrics test reads the exposition with;
# asterisk-core-sounds-en(-g722): real human speech (the Asterisk prompts and their transcripts)
# for the fixtures of scripts/human-fixtures.mjs, which the VAD edge tests and bench/wer.mjs play.
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(chromium flite pocketsphinx pocketsphinx-en-us python3-pocketsphinx python3-prometheus-client sox ffmpeg redis-server asterisk-core-sounds-en asterisk-core-sounds-en-g722)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
