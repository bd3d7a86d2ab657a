"""Worker processes die with their parent (probe M1): after SIGTERM or SIGKILL of a run with
two workers, no worker, forkserver or resource tracker is left behind."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from permanency_rules.batch.pool import COLUMN_BLOCK, MIN_BLOCK, block_size
from tests.conftest import ROOT

# The parent blocks in its progress callback after the first block, with its workers started.
_RUN = """
import sys, time
from datetime import date
from permanency_rules.caseload import check_caseload

def progress(n):
    print("working", flush=True)
    time.sleep(120)

folder, backend = sys.argv[1:]
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


@pytest.mark.parametrize("backend", ["pandas", "durable"])  # column-wise blocks; per-case chunks
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_exit_when_the_parent_is_killed(backend: str, sig: signal.Signals) -> None:
    helpers: set[int] = set()
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUN, str(ROOT / "fixtures" / "caseload"), backend],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 300)
        assert ready and proc.stdout is not None and proc.stdout.readline().strip() == "working"
        # wait for the whole tree: the forkserver, the resource tracker and a helper under it
        deadline = time.monotonic() + 300
        while len(helpers := _descendants(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(helpers) >= 3
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
