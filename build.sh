#!/usr/bin/env bash
# AotVector build script. Verbs: restore | build | publish [--isa ISA] | run [--isa ISA] [-- server args] | test | bench | clean
#   ISA: x86-64-v3 (default: AVX2/FMA), native (this CPU, e.g. AVX-512), x86-64-v4 (AVX-512), or any IlcInstructionSet value.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG=Release
PUBLISH_DIR="$ROOT/artifacts/publish/aotvector"
BIN="$PUBLISH_DIR/aotvector"

verb=${1:-build}
shift || true
isa=x86-64-v3
server_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --isa) isa=$2; shift 2 ;;
    --) shift; server_args=("$@"); break ;;
    *) server_args+=("$1"); shift ;;
  esac
done

restore() { dotnet restore AotVector.sln; }
build() { dotnet build AotVector.sln -c "$CONFIG" -nologo; }

publish() {
  echo "== publishing Native AOT binary (IlcInstructionSet=$isa) to $PUBLISH_DIR"
  dotnet publish src/AotVector.Server/AotVector.Server.csproj -c "$CONFIG" -r linux-x64 \
    -p:AotIsa="$isa" -o "$PUBLISH_DIR" -nologo
  cp config/config.yaml "$PUBLISH_DIR/config.yaml"
}

js_deps() {
  if [ -f tests/js/package.json ]; then
    echo "== installing the official JS client for end-to-end tests"
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

run_tests() {
  build
  publish
  js_deps
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local log="$results/console.log"
  set +e
  AOTVECTOR_BIN="$BIN" AOTVECTOR_REPO="$ROOT" dotnet test AotVector.sln -c "$CONFIG" --no-build -nologo \
    --logger "console;verbosity=normal" --results-directory "$results" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  # Sum the per-project summaries: "Passed: N" / "Failed: N" / "Skipped: N" (both vstest summary styles).
  local passed failed skipped projects
  passed=$( (grep -Eo 'Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
  failed=$( (grep -Eo 'Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
  skipped=$( (grep -Eo 'Skipped: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
  projects=$( (grep -Ec '^Test Run (Successful|Failed|Aborted)' "$log" || true) )
  echo "== $projects test runs"
  if grep -q '^Test Run Aborted' "$log"; then echo "a test run was aborted (see above)"; failed=$((failed + 1)); fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $rc"; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

case "$verb" in
  restore) restore ;;
  build) build ;;
  publish) publish ;;
  run)
    [ -x "$BIN" ] && [ -z "${AOTVECTOR_REBUILD:-}" ] && [ "$isa" = x86-64-v3 ] || publish
    exec "$BIN" "${server_args[@]}" ;;
  test) run_tests ;;
  bench) perf/run-bench.sh && exec perf/run-load.sh ;;
  clean) rm -rf artifacts ;;
  *) echo "usage: ./build.sh restore|build|publish [--isa ISA]|run [--isa ISA] [-- args]|test|bench|clean" >&2; exit 64 ;;
esac
