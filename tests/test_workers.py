"""Worker processes die with their parent (probe M1): after SIGTERM or SIGKILL of a run with
two workers, no worker, forkserver or resource tracker is left behind, whether the helpers are
forked from the run (a single-threaded process) or come from the forkserver (another thread
runs); and both kinds give the same findings as one process."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from permanency_rules.batch.pool import COLUMN_BLOCK, MIN_BLOCK, block_size
from permanency_rules.caseload import check_caseload
from tests.conftest import PER_CASE_ENGINES, ROOT

# The parent blocks in its progress callback after the first block, with its workers started.
_RUN = """
import sys, time
from datetime import date
from permanency_rules.caseload import check_caseload

def progress(n):
    print("working", flush=True)
    time.sleep(120)

folder, backend, threaded = sys.argv[1:]
if threaded == "yes":  # another thread: helpers come from the forkserver, not a fork of this process
    import threading
    threading.Thread(target=threading.Event().wait, daemon=True).start()
check_caseload(folder, date(2026, 11, 1), backend=backend, workers=2, chunk_size=20, progress=progress)
"""


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process."""
    out = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            out[int(p.name)] = int(fields[1])
    return out


def _descendants(pid: int) -> set[int]:
    parents = _parents()
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p} - found
        found |= kids
        todo.extend(kids)
    return found


# column-wise blocks; per-case chunks (durable-rules where it imports, else the built-in matcher)
@pytest.mark.parametrize("backend", ["pandas", PER_CASE_ENGINES[0]])
@pytest.mark.parametrize(
    ("sig", "threaded"), [(signal.SIGTERM, "no"), (signal.SIGKILL, "no"), (signal.SIGKILL, "yes")]
)
def test_workers_exit_when_the_parent_is_killed(backend: str, sig: signal.Signals, threaded: str) -> None:
    helpers: set[int] = set()
    # forked: the helpers (1 column-wise, 2 per case); else the forkserver, its resource tracker
    # and a helper under the forkserver
    tree = 3 if threaded == "yes" else (1 if backend == "pandas" else 2)
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUN, str(ROOT / "fixtures" / "caseload"), backend, threaded],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 300)
        assert ready and proc.stdout is not None and proc.stdout.readline().strip() == "working"
        deadline = time.monotonic() + 300  # wait for the whole tree
        while len(helpers := _descendants(proc.pid)) < tree and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(helpers) >= tree
        os.kill(proc.pid, sig)
        proc.wait(30)
        deadline = time.monotonic() + 30
        while (left := helpers & set(_parents())) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, f"{len(left)} process(es) outlived their parent"
    finally:  # never leave processes behind, even when the test fails
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in helpers & set(_parents()):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("cases", "workers", "chunk", "size"),
    [
        (600, 2, None, 600),  # small: one block, checked here, no helper starts
        (19_999, 2, None, 19_999),  # two blocks would be under MIN_BLOCK each
        (20_000, 2, None, 10_000),  # from 20,000 cases, one block per worker
        (100_000, 2, None, 50_000),
        (250_000, 2, None, 62_500),  # a multiple of the workers, each at most COLUMN_BLOCK
        (1_000_000, 2, None, 100_000),
        (1_000_000, 3, None, 83_334),
        (50_000, 8, None, 10_000),  # more workers than blocks of MIN_BLOCK: fewer, bigger blocks
        (100_000, 1, None, 100_000),
        (1_200, 2, 97, 97),  # an explicit chunk size wins
    ],
)
def test_block_size(cases: int, workers: int, chunk: int | None, size: int) -> None:
    assert block_size(cases, workers, chunk) == size
    assert MIN_BLOCK <= size <= COLUMN_BLOCK or cases < 2 * MIN_BLOCK or chunk


_SAME = """
import sys, threading
from datetime import date
from permanency_rules.batch.pool import _context
from permanency_rules.caseload import check_caseload
if sys.argv[2] == "yes":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
print(_context().get_start_method())
r = check_caseload(sys.argv[1], date(2026, 11, 1), workers=2, chunk_size=150)
print(r.findings.to_json(orient="records", date_format="iso"))
"""


@pytest.mark.parametrize(("threaded", "method"), [("no", "fork"), ("yes", "forkserver")])
def test_helpers_give_the_same_findings(threaded: str, method: str) -> None:
    """Helpers forked from a single-threaded run, or from the forkserver when another thread
    runs, find exactly what one process finds (four blocks, three of them in helpers)."""
    folder = ROOT / "fixtures" / "caseload"
    one = check_caseload(folder, date(2026, 11, 1), workers=1)
    out = subprocess.run(
        [sys.executable, "-c", _SAME, str(folder), threaded], capture_output=True, text=True, check=True
    )
    how, table = out.stdout.split("\n", 1)
    assert how == method
    two = pd.read_json(io.StringIO(table), orient="records", dtype=False)
    assert len(one.findings) > 100
    assert two["finding_id"].tolist() == one.findings["finding_id"].tolist()
    assert two["message"].tolist() == one.findings["message"].tolist()
    assert two["case_id"].tolist() == one.findings["case_id"].tolist()
