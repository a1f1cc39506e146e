#!/usr/bin/env bash
# `npm start`: makes a fresh Debian machine ready and starts the reference server.
#  1. installs the missing Debian packages of the offline engines (apt-get update only if needed),
#  2. `npm ci` when node_modules is missing,
#  3. `npm run build` when dist/voice-assistant.js is missing (a failed build is reported; the
#     API still works, only the demo page needs dist/),
#  4. runs server/src/main.ts, which prints "Demo: http://HOST:PORT/".
# Environment: HOST, PORT, ALLOWED_ORIGINS, TOKEN_SECRET, UPSTREAM_BASE_URL, UPSTREAM_API_KEY,
# UPSTREAM_MODEL, KNOWLEDGE_FILE (see server/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(flite pocketsphinx pocketsphinx-en-us sox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  if command -v apt-get >/dev/null && { [ ${#sudo_cmd[@]} = 0 ] || command -v sudo >/dev/null; }; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: cannot install ${missing[*]} (need root and apt-get); their endpoints will answer 503." >&2
  fi
fi

if [ ! -d node_modules ]; then
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -f dist/voice-assistant.js ]; then
  echo "Building dist/ (npm run build)"
  npm run build || echo "warning: the build failed; /dist/ will answer 404 until it succeeds. The API works regardless." >&2
fi

exec node --import tsx server/src/main.ts
