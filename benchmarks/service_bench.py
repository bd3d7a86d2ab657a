"""A bounded burst against the decision service on the loopback: latency, errors and memory.

Starts ``permanency-rules serve`` as a child process on a free loopback port (once per engine,
in the same run, so the figures are comparable), sends REQUESTS evaluations of the fixture
cases CONCURRENCY at a time over keep-alive connections, checks every answer, and prints p50,
p99, max, errors and the server's resident memory before and after the burst.

    python benchmarks/service_bench.py [--requests 2000] [--concurrency 8] [--engines auto builtin]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from permanency_rules import evaluate_json
from permanency_rules.model.io import load_case_document

ROOT = Path(__file__).resolve().parents[1]
SERVE = Path(sys.executable).with_name("permanency-rules")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int, key: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process: unlike latency, barely moved by other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def requests_from_fixtures() -> list[tuple[dict[str, str], bytes, int]]:
    out = []
    for path in sorted((ROOT / "fixtures" / "cases").glob("*.yaml")):
        case, doc = load_case_document(path)
        params = {"as_of": doc["as_of"].isoformat()}
        if doc.get("profile"):
            params["profile"] = doc["profile"]
        out.append((params, case.model_dump_json().encode(), len(doc["expect"]["findings"])))
    return out


def burst(engine: str, n: int, concurrency: int) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [str(SERVE), "serve", "--host", "127.0.0.1", "--port", str(port), "--engine", engine],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the service did not start")
            time.sleep(0.1)
        work = requests_from_fixtures()
        local = threading.local()

        def client() -> httpx.Client:
            if not hasattr(local, "c"):
                local.c = httpx.Client(base_url=base, timeout=30)
            return local.c  # type: ignore[no-any-return]

        def one(i: int) -> tuple[float, bool]:
            params, body, expected = work[i % len(work)]
            start = time.perf_counter()
            try:
                r = client().post("/evaluate", params=params, content=body)
                ok = r.status_code == 200 and len(json.loads(r.content)["report"]["findings"]) == expected
            except httpx.HTTPError:
                ok = False
            return time.perf_counter() - start, ok

        with ThreadPoolExecutor(concurrency) as pool:  # warm-up: plans compiled, connections open
            list(pool.map(one, range(len(work) * 2)))
        before, cpu0 = rss_kib(server.pid), cpu_seconds(server.pid)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
        after, peak = rss_kib(server.pid), rss_kib(server.pid, "VmHWM")
        cpu = cpu_seconds(server.pid) - cpu0
        engine_ran = httpx.get(base + "/health").json()["engine"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    lat = sorted(ms * 1000 for ms, _ok in results)
    return {
        "engine": engine_ran,
        "requests": n,
        "errors": sum(not ok for _ms, ok in results),
        "p50_ms": statistics.median(lat),
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "max_ms": lat[-1],
        "throughput_rps": n / wall,
        "server_cpu_ms": cpu / n * 1000,
        "rss_before_mib": before / 1024,
        "rss_after_mib": after / 1024,
        "rss_peak_mib": peak / 1024,
    }


def in_process(engine: str, n: int) -> str:
    """The library call the service makes, without HTTP: what the network layer adds is the rest."""
    work = requests_from_fixtures()
    for params, body, _e in work:  # warm-up
        evaluate_json(body, params["as_of"], profile=params.get("profile"), engine=engine)  # type: ignore[arg-type]
    lat = []
    for i in range(n):
        params, body, _e = work[i % len(work)]
        t = time.perf_counter()
        evaluate_json(body, params["as_of"], profile=params.get("profile"), engine=engine)  # type: ignore[arg-type]
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return f"p50 {statistics.median(lat):.2f} ms, p99 {lat[int(len(lat) * 0.99)]:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--engines", nargs="+", default=["auto", "builtin"])
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
    for engine in args.engines:
        print(f"{engine}: in-process evaluate_json, one thread: {in_process(engine, args.requests)}")
    for engine in args.engines:
        r = burst(engine, args.requests, args.concurrency)
        print(
            f"{engine} ({r['engine']}): {r['requests']} requests x{args.concurrency}: "
            f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms, "
            f"{r['throughput_rps']:.0f} req/s, errors {r['errors']}; server CPU "
            f"{r['server_cpu_ms']:.2f} ms/request; server RSS "
            f"{r['rss_before_mib']:.0f} -> {r['rss_after_mib']:.0f} MiB (peak {r['rss_peak_mib']:.0f})"
        )


if __name__ == "__main__":
    main()
