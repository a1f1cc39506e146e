#!/usr/bin/env bash
# `npm start`: makes a fresh Debian machine ready and starts the reference server.
#  1-2. scripts/install-deps.sh: the missing Debian packages of the offline engines (apt-get
#     update only if needed), and `npm ci` when node_modules is missing or stale,
#  3. `npm run build` when dist/voice-assistant.js is missing (a failed build is reported; the
#     API still works, only the demo page needs dist/),
#  4. runs server/src/main.ts, which prints "Demo: http://HOST:PORT/".
# Environment: HOST, PORT, ALLOWED_ORIGINS, TOKEN_SECRET, REDIS_URL, UPSTREAM_URL, UPSTREAM_KEY, UPSTREAM_STT_*, UPSTREAM_TTS_*, UPSTREAM_CHAT_*,
# UPSTREAM_MODEL, KNOWLEDGE_FILE (see server/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh flite pocketsphinx pocketsphinx-en-us sox

if [ ! -f dist/voice-assistant.js ]; then
  echo "Building dist/ (npm run build)"
  npm run build || echo "warning: the build failed; /dist/ will answer 404 until it succeeds. The API works regardless." >&2
fi

exec node --import tsx server/src/main.ts
