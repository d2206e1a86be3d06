#!/usr/bin/env bash
# A snapshot larger than the server's memory, restored by upload and by startup flag: the published server runs in a
# cgroup (v1 or v2) whose memory limit is below the snapshot's size; the script records the snapshot size, the
# limit, the cgroup's peak usage and the server's peak resident set (VmHWM), and checks the restored collection's
# point count and one search. Needs root (to make the cgroup); prints a table row for perf/results/snapshots.md.
# Env: RESTORE_POINTS (default 1000000), RESTORE_DIM (128), RESTORE_PAYLOAD (plain or payload: a small payload per
# point, held on the heap once the collection is open; default plain), RESTORE_LIMIT_MB (default 400), RESTORE_PORT (16333).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
POINTS=${RESTORE_POINTS:-1000000}
DIM=${RESTORE_DIM:-128}
LIMIT_MB=${RESTORE_LIMIT_MB:-400}
MODE=${RESTORE_PAYLOAD:-plain}
PORT=${RESTORE_PORT:-16333}
WORK="$ROOT/artifacts/snapshot-restore"
BIN="$ROOT/artifacts/publish/aotvector/aotvector"
[ -x "$BIN" ] || ./build.sh publish

if [ -w /sys/fs/cgroup/memory ]; then
  CG=/sys/fs/cgroup/memory/aotvector-restore; LIMIT_FILE=memory.limit_in_bytes; PEAK_FILE=memory.max_usage_in_bytes
elif [ -w /sys/fs/cgroup/cgroup.subtree_control ]; then
  CG=/sys/fs/cgroup/aotvector-restore; LIMIT_FILE=memory.max; PEAK_FILE=memory.peak
else
  echo "snapshot-restore: needs a writable memory cgroup (run as root)" >&2; exit 1
fi

mkdir -p "$WORK"
SOURCE="$WORK/source-$MODE-$POINTS-$DIM"
if [ ! -f "$SOURCE.path" ] || [ ! -f "$(cat "$SOURCE.path")" ]; then
  echo "== making a snapshot of $POINTS x $DIM points, $MODE (once; kept in $WORK)"
  dotnet build perf/AotVector.AnnBench/AotVector.AnnBench.csproj -c Release -nologo -v q -o "$WORK/jit" >/dev/null
  "$WORK/jit/AotVector.AnnBench" snapshot-source "$SOURCE" "$POINTS" "$DIM" "$MODE" > "$SOURCE.path"
fi
SNAPSHOT=$(cat "$SOURCE.path")
SNAPSHOT_MB=$(( $(stat -c %s "$SNAPSHOT") / 1048576 ))
echo "== snapshot: $SNAPSHOT ($SNAPSHOT_MB MB); memory limit $LIMIT_MB MB"

SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rmdir "$CG" 2>/dev/null || true' EXIT

# One server run inside the cgroup; $1 names the run, the rest are extra server arguments.
start_limited() {
  rmdir "$CG" 2>/dev/null || true
  mkdir -p "$CG"
  echo $((LIMIT_MB * 1048576)) > "$CG/$LIMIT_FILE"
  rm -rf "$WORK/target"
  mkdir -p "$WORK/target"
  ( echo $BASHPID > "$CG/cgroup.procs"
    exec env QDRANT__SERVICE__HTTP_PORT=$PORT QDRANT__SERVICE__GRPC_PORT=$((PORT + 1)) \
      QDRANT__STORAGE__STORAGE_PATH="$WORK/target/storage" QDRANT__STORAGE__SNAPSHOTS_PATH="$WORK/target/snapshots" \
      QDRANT__LOG_LEVEL=WARN "$BIN" "$@" ) > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 $SERVER 2>/dev/null || { echo "server exited:"; cat "$WORK/server.log"; return 1; }
    sleep 0.5
  done
  echo "server not ready"; return 1
}

finish() {
  local name=$1 seconds=$2
  local count hwm peak
  count=$(curl -sf -X POST "http://127.0.0.1:$PORT/collections/restore/points/count" -H 'Content-Type: application/json' -d '{"exact":true}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["count"])')
  local query; query=$(python3 -c "import random,json; r=random.Random(1); print(json.dumps({'query':[r.uniform(-1,1) for _ in range($DIM)],'limit':10}))")
  local hits; hits=$(curl -sf -X POST "http://127.0.0.1:$PORT/collections/restore/points/query" -H 'Content-Type: application/json' -d "$query" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]["points"]))')
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$SERVER/status)
  peak=$(( $(cat "$CG/$PEAK_FILE") / 1048576 ))
  kill $SERVER; wait $SERVER 2>/dev/null || true
  SERVER=""
  echo "| $name, $MODE | $SNAPSHOT_MB MB | $LIMIT_MB MB | ${seconds} s | $peak MB | $hwm MB | $count | $hits |"
  [ "$count" = "$POINTS" ] && [ "$hits" = 10 ] || { echo "restore incomplete"; exit 1; }
}

echo "| restore | snapshot | memory limit | took | cgroup peak | server VmHWM | points after | hits |"
echo "|---|---|---|---|---|---|---|---|"

start_limited
t0=$(date +%s.%N)
answer=$(curl -sS -X POST "http://127.0.0.1:$PORT/collections/restore/snapshots/upload?wait=true" -F "snapshot=@$SNAPSHOT" -w ' HTTP %{http_code}' || true)
case "$answer" in *'"ok"'*) ;; *) echo "upload failed: $answer"; tail -c 600 "$WORK/server.log"; exit 1 ;; esac
finish "upload (multipart)" "$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")"

t0=$(date +%s.%N)
start_limited --snapshot "$SNAPSHOT:restore"
finish "startup flag --snapshot" "$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")"
rmdir "$CG" 2>/dev/null || true
