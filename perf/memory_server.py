"""The published server as the memory benches drive it: start it on a storage directory, call its REST API, wait
for a collection to settle, and read the process's and the files' sizes. Shared by perf/payload-memory.py and
perf/placement-memory.py."""
import json
import os
import subprocess
import sys
import time
import urllib.request


def status(pid):
    """VmRSS, RssAnon, RssFile and VmHWM of the process, in MiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields


def file_bytes(storage, prefix):
    """Bytes of the files under `storage` whose names start with `prefix` (temporary `.tmp` files left out)."""
    total = 0
    for root, _, files in os.walk(storage):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files if f.startswith(prefix) and not f.endswith(".tmp"))
    return total


def vectors(rng, count, dim):
    return [[rng.random() for _ in range(dim)] for _ in range(count)]


class Server:
    def __init__(self, binary, port):
        self.binary = binary
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def call(self, method, path, body=None, timeout=600):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"null")

    def start(self, storage, preexec=None, exit_on_death=True):
        """Starts the server on `storage` (log beside it) and waits for /readyz. A server that dies meanwhile ends
        the bench, or is returned as it is when `exit_on_death` is false (a capped run may be killed)."""
        env = dict(os.environ, QDRANT__SERVICE__HTTP_PORT=str(self.port), QDRANT__SERVICE__GRPC_PORT=str(self.port + 1),
                   QDRANT__STORAGE__STORAGE_PATH=storage, QDRANT__STORAGE__SNAPSHOTS_PATH=storage + "-snapshots",
                   QDRANT__LOG_LEVEL="WARN")
        log = open(storage + ".log", "a")
        proc = subprocess.Popen([self.binary], env=env, stdout=log, stderr=log, preexec_fn=preexec)
        for _ in range(1200):
            try:
                urllib.request.urlopen(self.url + "/readyz", timeout=2).read()
                return proc
            except Exception:
                if proc.poll() is not None:
                    if exit_on_death:
                        sys.exit(f"server exited; see {storage}.log")
                    return proc
                time.sleep(0.5)
        sys.exit("server not ready")

    def wait_green(self, collection, points):
        """Green with the indexed count unchanged over three polls: the appendable segment's last points (below
        indexing_threshold) are never indexed, so the count need not reach `points`."""
        seen = []
        while True:
            info = self.call("GET", f"/collections/{collection}")["result"]
            seen = (seen + [(info["status"], info.get("indexed_vectors_count"))])[-3:]
            if len(seen) == 3 and all(s == ("green", seen[0][1]) for s in seen) and info["points_count"] == points:
                return
            time.sleep(2)
