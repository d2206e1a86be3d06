#!/usr/bin/env python3
"""Crash loop: the published server killed with SIGKILL under write load, life after life.

Each life starts the binary on the same storage, waits for /readyz, upserts batches of 16-d vectors for
CRASH_LIFE_SEC seconds, then SIGKILLs it. Per life it records the boot time (spawn to /readyz 200), the
collection's segment count, the bytes on disk under the storage directory and the WAL entries replayed at boot
(from the log). At the end every acknowledged point is checked.

Env: AOTVECTOR_BIN (default artifacts/publish/aotvector/aotvector), CRASH_LIVES (default 100),
     CRASH_LIFE_SEC (default 2.0), CRASH_BATCH (default 500 points), CRASH_OUT (default perf/results/crash-loop.md).
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AOTVECTOR_BIN", os.path.join(ROOT, "artifacts/publish/aotvector/aotvector"))
LIVES = int(os.environ.get("CRASH_LIVES", "100"))
LIFE_SEC = float(os.environ.get("CRASH_LIFE_SEC", "2.0"))
BATCH = int(os.environ.get("CRASH_BATCH", "500"))
OUT = os.environ.get("CRASH_OUT", os.path.join(ROOT, "perf/results/crash-loop.md"))
DIM = 16


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def disk_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(d, f)).st_blocks * 512
            except FileNotFoundError:
                pass
    return total


def vector(i):
    rng = random.Random(i)
    return [rng.uniform(-1, 1) for _ in range(DIM)]


def main():
    work = tempfile.mkdtemp(prefix="aotvector-crash-")
    storage = os.path.join(work, "storage")
    http, grpc = free_port(), free_port()
    base = f"http://127.0.0.1:{http}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QDRANT__", "AOTVECTOR__"))}
    env.update({"QDRANT__SERVICE__HOST": "127.0.0.1", "QDRANT__SERVICE__HTTP_PORT": str(http),
                "QDRANT__SERVICE__GRPC_PORT": str(grpc), "QDRANT__STORAGE__STORAGE_PATH": storage})
    acked = 0
    rows = []
    try:
        for life in range(LIVES):
            log_path = os.path.join(work, f"life-{life}.log")
            with open(log_path, "wb") as log:
                started = time.monotonic()
                proc = subprocess.Popen([BIN], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
                while True:
                    try:
                        urllib.request.urlopen(base + "/readyz", timeout=1).read()
                        break
                    except (urllib.error.URLError, ConnectionError, OSError):
                        if proc.poll() is not None:
                            sys.exit(f"server exited during boot of life {life}; see {log_path}")
                        time.sleep(0.01)
                boot = time.monotonic() - started
                if life == 0:
                    call(base, "PUT", "/collections/crash", {"vectors": {"size": DIM, "distance": "Cosine"}})
                segments = call(base, "GET", "/collections/crash")["result"]["segments_count"]
                stop = time.monotonic() + LIFE_SEC
                next_id = acked
                while time.monotonic() < stop:
                    points = [{"id": i, "vector": vector(i)} for i in range(next_id, next_id + BATCH)]
                    try:
                        call(base, "PUT", "/collections/crash/points?wait=true", {"points": points})
                    except (urllib.error.URLError, ConnectionError, OSError):
                        break
                    next_id += BATCH
                    acked = next_id
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            text = open(log_path, encoding="utf-8", errors="replace").read()
            replayed = sum(int(m) for m in re.findall(r"replayed (\d+) WAL entries", text))
            size = disk_bytes(storage)
            rows.append((life, boot, segments, size, replayed, acked))
            print(f"life {life:3d}: boot {boot * 1000:6.0f} ms, {segments:3d} segments, {size / 1e6:8.1f} MB on disk, "
                  f"{replayed:6d} WAL entries replayed, {acked} points acknowledged", flush=True)

        # Last life: every acknowledged point is there.
        proc = subprocess.Popen([BIN], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        count = call(base, "POST", "/collections/crash/points/count", {"exact": True})["result"]["count"]
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        print(f"after {LIVES} lives: {count} points stored, {acked} acknowledged")
        ok = count >= acked
    finally:
        shutil.rmtree(work, ignore_errors=True)

    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Crash loop (perf/crash-loop.py)\n\n")
        f.write(f"{LIVES} lives of {LIFE_SEC} s, each ended by SIGKILL while upserting {BATCH}-point batches of {DIM}-d vectors "
                f"(wait=true); boot = spawn to /readyz 200. After the last life {count} points were stored of {acked} acknowledged.\n\n")
        f.write("| life | boot ms | segments | MB on disk | WAL entries replayed | points acknowledged |\n|---:|---:|---:|---:|---:|---:|\n")
        for life, boot, segments, size, replayed, points in rows:
            if life < 5 or life % 10 == 9 or life == LIVES - 1:
                f.write(f"| {life} | {boot * 1000:.0f} | {segments} | {size / 1e6:.1f} | {replayed} | {points} |\n")
    print("wrote", OUT)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
