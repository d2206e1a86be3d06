#!/usr/bin/env python3
"""Resident memory of the published server with a small payload per point, on_disk_payload true against false.

For each placement: a fresh storage directory, the published server, a 128-d Euclid collection with default settings
and the given on_disk_payload, N points upserted over REST in batches of 1,000 (wait=true), each with a small payload
(one integer, one short keyword: the engine-memory bench's), then wait until green with every vector indexed, run 200
searches and 20 filtered counts on an unindexed field, and read VmRSS, RssAnon, RssFile and VmHWM from /proc. Then the
server is stopped and started again on the same storage (a restart), and the same reads are measured again.
The ratio is steady RSS / (raw vector bytes + graph file bytes), as in perf/results/synthetic-1m.md.

Usage: perf/payload-memory.py [POINTS] [--restart-only] (default 300000; --restart-only measures only the restart
of storage a previous run left in artifacts/payload-memory); env PAYLOAD_MEMORY_PORT (default 16433),
AOTVECTOR_BIN (default artifacts/publish/aotvector/aotvector). Prints a markdown table.
"""
import os
import random
import shutil
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memory_server  # noqa: E402
from memory_server import Server, file_bytes, status  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AOTVECTOR_BIN", os.path.join(ROOT, "artifacts/publish/aotvector/aotvector"))
PORT = int(os.environ.get("PAYLOAD_MEMORY_PORT", "16433"))
WORK = os.path.join(ROOT, "artifacts", "payload-memory")
DIM = 128
BATCH = 1000


server = Server(BIN, PORT)
call = server.call


def start(storage):
    return server.start(storage)


def wait_green(points):
    server.wait_green("m", points)


def vectors(rng, count):
    return memory_server.vectors(rng, count, DIM)


def exercise(rng):
    for q in vectors(rng, 200):
        call("POST", "/collections/m/points/query", {"query": q, "limit": 10, "params": {"hnsw_ef": 64}})
    for i in range(20):
        call("POST", "/collections/m/points/count", {"filter": {"must": [{"key": "tag", "match": {"value": f"t{i}"}}]}, "exact": True})


def run(on_disk, points, restart_only):
    storage = os.path.join(WORK, f"storage-{'disk' if on_disk else 'heap'}")
    rows = []
    if not restart_only:
        shutil.rmtree(storage, ignore_errors=True)
        shutil.rmtree(storage + "-snapshots", ignore_errors=True)
        os.makedirs(storage)
        rows = ingest(storage, on_disk, points)
    return restart(storage, on_disk, points, rows)


def ingest(storage, on_disk, points):
    proc = start(storage)
    rows = []
    try:
        call("PUT", "/collections/m", {"vectors": {"size": DIM, "distance": "Euclid"}, "on_disk_payload": on_disk})
        rng = random.Random(7)
        began = time.time()
        for first in range(0, points, BATCH):
            batch = vectors(rng, min(BATCH, points - first))
            body = {"points": [{"id": first + i, "vector": v, "payload": {"n": first + i, "tag": f"t{(first + i) % 100}"}}
                               for i, v in enumerate(batch)]}
            call("PUT", "/collections/m/points?wait=true", body)
        upsert = time.time() - began
        wait_green(points)
        indexed = time.time() - began - upsert
        exercise(random.Random(11))
        rows.append(("after ingest", status(proc.pid), upsert, indexed))
    finally:
        proc.terminate()
        proc.wait(timeout=300)
    return rows


def restart(storage, on_disk, points, rows):
    proc = start(storage)
    try:
        wait_green(points)
        exercise(random.Random(11))
        rows.append(("restarted", status(proc.pid), 0, 0))
        count = call("POST", "/collections/m/points/count", {"exact": True})["result"]["count"]
        assert count == points, count
        params = call("GET", "/collections/m")["result"]["config"]["params"]
        assert params["on_disk_payload"] == on_disk, params
    finally:
        proc.terminate()
        proc.wait(timeout=300)

    raw = points * DIM * 4 / 1048576
    graph = file_bytes(storage, "hnsw-") / 1048576
    payload_file = file_bytes(storage, "payloads.bin") / 1048576
    return [(on_disk, label, s, up, ix, raw, graph, payload_file) for label, s, up, ix in rows]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    restart_only = "--restart-only" in sys.argv
    points = int(args[0]) if args else 300_000
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no published server at {BIN}: ./build.sh publish")
    load = os.getloadavg()
    results = run(True, points, restart_only) + run(False, points, restart_only)
    print(f"points {points}, {DIM}-d Euclid, payload {{n: int, tag: short keyword}}; load average at start {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print()
    print("| on_disk_payload | run | upsert (s) | index (s) | raw vectors (MB) | graph files (MB) | payloads.bin (MB) | VmRSS (MB) | RssAnon (MB) | RssFile (MB) | VmHWM (MB) | RSS / (raw + graph) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for on_disk, label, s, up, ix, raw, graph, payload_file in results:
        print(f"| {str(on_disk).lower()} | {label} | {up:.0f} | {ix:.0f} | {raw:.0f} | {graph:.0f} | {payload_file:.0f} | "
              f"{s['VmRSS']:.0f} | {s['RssAnon']:.0f} | {s['RssFile']:.0f} | {s['VmHWM']:.0f} | **{s['VmRSS'] / (raw + graph):.2f}x** |")


if __name__ == "__main__":
    main()
