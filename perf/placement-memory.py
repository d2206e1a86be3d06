#!/usr/bin/env python3
"""Resident memory of the published server with the issue-22 placement against today's defaults, and a capped run.

Two collections of N random 128-d Euclid points with a small payload each (one integer, one short keyword, as
perf/payload-memory.py), payloads on disk in both:
  today:   vectors on_disk false (cached), no quantization;
  target:  vectors on_disk true (cold), int8 scalar quantization (quantile 0.99) with memory: pinned.
Each: upsert in batches of 1,000 (wait=true), wait until green with every sealed vector indexed, then 100 queries
(hnsw_ef 64; the target rescoring its int8 hits with oversampling 2) and the same queries exact, for recall@10;
VmRSS, RssAnon, RssFile, VmHWM from /proc. Then the server restarts on the same storage and the same reads are
measured again. For the target, a third start runs inside a memory cgroup (v1 or v2, needs root) whose limit is half
the float32 vectors' bytes (PLACEMENT_CAP_FRACTION), answering the same queries; its recall is against the exact hits
of the uncapped restart. The ratio the issue asks for is VmRSS / (quantized codes + graph + payload index); no payload
index is created, so that term is 0. RSS / (raw + graph) is shown too, as in perf/results/payload-memory.md.

Usage: perf/placement-memory.py [POINTS] (default 300000); env PLACEMENT_MEMORY_PORT (default 16533),
AOTVECTOR_BIN (default artifacts/publish/aotvector/aotvector), PLACEMENT_CAP_FRACTION (default 0.5). Prints markdown.
"""
import json
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
PORT = int(os.environ.get("PLACEMENT_MEMORY_PORT", "16533"))
CAP_FRACTION = float(os.environ.get("PLACEMENT_CAP_FRACTION", "0.5"))
WORK = os.path.join(ROOT, "artifacts", "placement-memory")
DIM = 128
BATCH = 1000
QUERIES = 100

CONFIGS = {
    "today": {"vectors": {"size": DIM, "distance": "Euclid", "on_disk": False}, "on_disk_payload": True},
    "target": {"vectors": {"size": DIM, "distance": "Euclid", "on_disk": True}, "on_disk_payload": True,
               "quantization_config": {"scalar": {"type": "int8", "quantile": 0.99, "memory": "pinned"}}},
}


server = Server(BIN, PORT)
call = server.call


def cgroup():
    if os.access("/sys/fs/cgroup/memory", os.W_OK):
        return "/sys/fs/cgroup/memory/aotvector-placement", "memory.limit_in_bytes", "memory.max_usage_in_bytes"
    if os.access("/sys/fs/cgroup/cgroup.subtree_control", os.W_OK):
        return "/sys/fs/cgroup/aotvector-placement", "memory.max", "memory.peak"
    return None


def start(storage, limit_bytes=None):
    preexec = None
    if limit_bytes is not None:
        cg, limit_file, _ = cgroup()
        if os.path.isdir(cg):
            os.rmdir(cg)
        os.makedirs(cg)
        with open(os.path.join(cg, limit_file), "w") as f:
            f.write(str(limit_bytes))

        def preexec():
            with open(os.path.join(cg, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
    return server.start(storage, preexec, exit_on_death=False)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=300)


def wait_green(points):
    # The placement of sealed segments runs in the optimizer's passes right after their builds.
    server.wait_green("m", points)


def vectors(rng, count):
    return memory_server.vectors(rng, count, DIM)


def queries():
    return vectors(random.Random(11), QUERIES)


def search(quantized, exact=False):
    params = {"exact": True} if exact else {"hnsw_ef": 64}
    if quantized and not exact:
        params["quantization"] = {"rescore": True, "oversampling": 2.0}
    return [[p["id"] for p in call("POST", "/collections/m/points/query", {"query": q, "limit": 10, "params": params})["result"]["points"]]
            for q in queries()]


def recall(found, exact):
    return sum(len(set(f) & set(e)) for f, e in zip(found, exact)) / (10 * len(exact))


def run(name, points):
    storage = os.path.join(WORK, f"storage-{name}")
    shutil.rmtree(storage, ignore_errors=True)
    shutil.rmtree(storage + "-snapshots", ignore_errors=True)
    os.makedirs(storage)
    quantized = "quantization_config" in CONFIGS[name]
    rows = []
    proc = start(storage)
    try:
        call("PUT", "/collections/m", CONFIGS[name])
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
        exact = search(quantized, exact=True)
        rows.append(("after ingest", status(proc.pid), upsert, indexed, recall(search(quantized), exact), None))
    finally:
        stop(proc)

    proc = start(storage)
    try:
        wait_green(points)
        time.sleep(5)
        found = search(quantized)
        rows.append(("restarted", status(proc.pid), 0, 0, recall(found, exact), None))
        info = call("GET", "/collections/m")["result"]["config"]
        print(f"{name}: params {json.dumps(info['params'])}; quantization {json.dumps(info.get('quantization_config'))}", file=sys.stderr)
    finally:
        stop(proc)

    raw = points * DIM * 4
    if name == "target":
        rows.append(capped(storage, points, raw, exact))
    codes = file_bytes(storage, "quant-")
    graph = file_bytes(storage, "hnsw-")
    return [(name, label, s, up, ix, r, cap, raw, graph, codes) for label, s, up, ix, r, cap in rows]


def capped(storage, points, raw, exact):
    limit = int(raw * CAP_FRACTION)
    if os.geteuid() != 0 or cgroup() is None:
        print("capped run skipped: needs root and a writable memory cgroup", file=sys.stderr)
        return ("capped: skipped (no cgroup)", {"VmRSS": 0, "RssAnon": 0, "RssFile": 0, "VmHWM": 0}, 0, 0, 0.0, (limit, 0, "skipped"))
    cg, _, peak_file = cgroup()
    proc = start(storage, limit)
    outcome, s, r = "completed", {"VmRSS": 0, "RssAnon": 0, "RssFile": 0, "VmHWM": 0}, 0.0
    try:
        if proc.poll() is not None:
            outcome = f"server exited at start ({proc.returncode})"
        else:
            try:
                wait_green(points)
                r = recall(search(True), exact)
                s = status(proc.pid)
            except Exception as e:  # an OOM kill ends the server mid-request
                outcome = f"failed: {type(e).__name__} (server returncode {proc.poll()})"
    finally:
        stop(proc)
        with open(os.path.join(cg, peak_file)) as f:
            peak = int(f.read()) / 1048576
        os.rmdir(cg)
    return (f"capped at {limit / 1048576:.0f} MB", s, 0, 0, r, (limit, peak, outcome))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    points = int(args[0]) if args else 300_000
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no published server at {BIN}: ./build.sh publish")
    load = os.getloadavg()
    results = run("target", points) + run("today", points)
    print(f"points {points}, {DIM}-d Euclid, payload {{n: int, tag: short keyword}} on disk; load average at start {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print()
    print("| config | run | upsert (s) | index (s) | raw vectors (MB) | graph (MB) | int8 codes (MB) | VmRSS (MB) | RssAnon (MB) | RssFile (MB) | VmHWM (MB) | recall@10 | RSS / (codes + graph) | RSS / (raw + graph) | cgroup peak (MB) | outcome |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    mb = 1048576
    for name, label, s, up, ix, r, cap, raw, graph, codes in results:
        ratio = f"**{s['VmRSS'] * mb / (codes + graph):.2f}x**" if codes else "-"
        peak, outcome = (f"{cap[1]:.0f}", cap[2]) if cap else ("-", "completed")
        print(f"| {name} | {label} | {up:.0f} | {ix:.0f} | {raw / mb:.0f} | {graph / mb:.0f} | {codes / mb:.0f} | {s['VmRSS']:.0f} | "
              f"{s['RssAnon']:.0f} | {s['RssFile']:.0f} | {s['VmHWM']:.0f} | {r:.3f} | {ratio} | {s['VmRSS'] * mb / (raw + graph):.2f}x | {peak} | {outcome} |")


if __name__ == "__main__":
    main()
