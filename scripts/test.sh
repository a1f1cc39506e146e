#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, type-checks, builds,
# then runs the build/manifest checks, the reference server's tests and the browser tests in
# real Chromium. Prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

log=$(mktemp -d)
status=0
step() {
  local name=$1; shift
  echo "== $name"
  "$@" 2>&1 | tee "$log/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || { echo "== $name failed ($rc)"; status=1; }
  return 0
}

# Real human speech for the VAD edge tests (tests/fixtures/human/, built once, then cached).
step human-fixtures node scripts/human-fixtures.mjs
step typecheck npm run --silent typecheck
step build npm run --silent build
[ -f dist/voice-assistant.js ] || { echo "build produced no dist/voice-assistant.js"; exit 1; }
step node node --test --test-reporter=spec tests/node/
step server npm run --silent test:server -- --test-reporter=spec
step browser npx web-test-runner

# Sum the counts each runner printed.
count() { grep -hoE "$1" "$log"/"$2".log | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
browser() { grep -oE "^browser tests: .*" "$log/browser.log" | tail -1 | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
passed=$(( $(count '^ℹ pass [0-9]+' node) + $(count '^ℹ pass [0-9]+' server) + $(browser passed) ))
failed=$(( $(count '^ℹ fail [0-9]+' node) + $(count '^ℹ fail [0-9]+' server) + $(browser failed) ))
skipped=$(( $(count '^ℹ skipped [0-9]+' node) + $(count '^ℹ skipped [0-9]+' server) + $(browser skipped) ))
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1
rm -rf "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
