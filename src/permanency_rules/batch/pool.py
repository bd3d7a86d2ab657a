"""Processes that check blocks or chunks in parallel, and how a caseload is cut for them.

Column-wise, ``workers`` processes check blocks: this one and ``workers - 1`` helpers. From a
single-threaded process the helpers are forked once the tables are read and cut
(``forked_helpers``): each helper holds a copy-on-write view of the run's tables, so a block
is sent as its first row number and cut by the helper itself, and this process starts on its
own block at once. Otherwise (a server, a notebook: other Python threads) they come from the
forkserver (``forkserver_helpers``), started in a thread while this process reads the tables
(a forkserver helper costs about a second of imports), and each block is pickled to them.
Each helper has at most one block in hand (sent by a relay thread, so this process never waits
for a helper); this process checks the next block itself meanwhile. Blocks are never cut
smaller than ``MIN_BLOCK``: a block costs a fixed amount whatever its size (a few pandas calls
per rule), so a small caseload is one block checked here and no helper starts at all.

Per case (JSON Lines, AFCARS, iterables, durable-rules), ``workers`` helpers check chunks of
``CASE_CHUNK`` cases while this process reads and feeds them; they start only when there is
more than one chunk.

Helpers die with this process. An idle helper waits for work forever, and a forkserver
helper's parent is the forkserver, which lives as long as any helper does; so each helper
watches a pipe whose only write end this process holds (a forked helper closes the copy it
inherits). When this process ends, however it ends (SIGKILL included), the pipe reads
end-of-file and the helper exits; the forkserver and the resource tracker follow.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from typing import TypeVar

import pandas as pd

from ..adapters.tables import ArrowTables
from ..evaluation import plan_for
from .blocks import Block, Blocks
from .job import CaseJob
from .sources import RawCase

#: Cases per block on the column-wise path: big enough that per-operation overhead vanishes,
#: small enough that a block's facts stay well under a gigabyte.
COLUMN_BLOCK = 100_000
#: The smallest block worth its fixed cost (measured in benchmarks/bench.py: a 10,000-case
#: block costs about as much again as its cases in per-rule pandas calls).
MIN_BLOCK = 10_000
#: Cases per chunk on the per-case path (JSON Lines, AFCARS, iterables, durable-rules).
CASE_CHUNK = 5000


def default_workers() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def block_size(cases: int, workers: int, chunk_size: int | None) -> int:
    """``chunk_size`` if given; else blocks of at most ``COLUMN_BLOCK`` cases, as many as the
    workers (or a multiple of them) while each keeps ``MIN_BLOCK`` cases."""
    if chunk_size:
        return chunk_size
    blocks = -(-cases // COLUMN_BLOCK)
    if workers > 1 and blocks:  # no cases (a header-only table): one empty block
        even = -(-blocks // workers) * workers  # a multiple of the workers keeps them all busy
        blocks = even if cases // even >= MIN_BLOCK else max(blocks, min(workers, cases // MIN_BLOCK))
    return max(1, -(-cases // max(blocks, 1)))


_job: CaseJob | None = None
#: The run's blocks, set in this process just before helpers are forked from it: a forked
#: helper cuts its block from its own (copy-on-write) view of the tables.
_blocks: Blocks | None = None


def _init_worker(job: CaseJob, parent: Connection, inherited: int | None) -> None:
    global _job
    _job = job
    if inherited is not None:  # forked: close this copy of the write end, or no EOF ever comes
        os.close(inherited)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: Connection) -> None:
    """Block until the parent's end of the pipe closes, then end this helper at once."""
    with suppress(EOFError, OSError):
        parent.recv_bytes()
    os._exit(1)


def _run_in_worker(chunk: list[RawCase]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    assert _job is not None
    return _job.run(chunk)


def _block_in_worker(part: ArrowTables, blind: frozenset[str]) -> Block:
    assert _job is not None
    return dataclasses.replace(_job, blind=blind).run_block(part)


def _block_at(lo: int) -> Block:
    """In a forked helper: the block starting at case row ``lo`` of the inherited tables."""
    assert _job is not None and _blocks is not None
    return _job.run_block(_blocks.part(lo))


def _warm() -> None:
    """Compile the plan and engine in a helper before the first block arrives."""
    assert _job is not None
    plan_for(_job.catalogue, _job.as_of).engine("pandas")


def _ready() -> None:
    """Nothing: submitted once so that forked helpers start at once, from this thread."""


def fork_here() -> bool:
    """Whether helpers may be forked from this process: on Linux, from a process whose only
    Python thread is this one (a CLI run, a script). A helper is then a copy of this process,
    library imported, plan compiled and tables read, ready in milliseconds. The copy inherits
    no lock another thread could hold; the native threads it leaves behind are numpy's OpenBLAS
    and Arrow's pools, which re-initialise after a fork (their at-fork handlers). With other
    Python threads (a server, a notebook) helpers come from the forkserver instead: they import
    the library once, about a second of CPU."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` where ``fork_here``; else ``forkserver`` (``spawn`` on Windows)."""
    if sys.platform == "win32":
        return multiprocessing.get_context("spawn")
    if fork_here():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])  # imported once, in the forkserver, not per helper
    return ctx


@contextmanager
def _executor(
    job: CaseJob, workers: int, ctx: multiprocessing.context.BaseContext | None = None
) -> Iterator[ProcessPoolExecutor]:
    """The pool. Forked helpers all start here, before any thread of the pool's exists."""
    ctx = ctx or _context()
    forked = ctx.get_start_method() == "fork"
    watched, held = ctx.Pipe(duplex=False)  # helpers get the read end; only this process writes
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(job, watched, held.fileno() if forked else None),
        ) as executor:
            if forked:
                with warnings.catch_warnings():  # Python 3.12+ counts the native threads above
                    warnings.filterwarnings("ignore", ".*multi-threaded, use of fork", DeprecationWarning)
                    executor.submit(_ready)
            yield executor
    finally:
        watched.close()
        held.close()


@dataclass(frozen=True)
class Helpers:
    """Helper processes and the relay threads that feed them. ``forked`` helpers hold the
    run's blocks already; the others are sent each block's tables."""

    executor: ProcessPoolExecutor
    relay: ThreadPoolExecutor
    count: int
    forked: bool

    def check(self, lo: int, blocks: Blocks, blind: frozenset[str]) -> Future[Block]:
        """The result of the block at ``lo`` from a helper; sending it never blocks this thread."""
        if self.forked:
            return self.relay.submit(lambda: self.executor.submit(_block_at, lo).result())
        return self.relay.submit(
            lambda: self.executor.submit(_block_in_worker, blocks.part(lo), blind).result()
        )


@contextmanager
def forked_helpers(job: CaseJob, count: int, blocks: Blocks) -> Iterator[Helpers]:
    """``count`` helpers forked from this process now, each holding ``blocks`` (``fork_here``
    must hold: call it before starting any thread). ``job`` carries the run's blind rules."""
    global _blocks
    plan_for(job.catalogue, job.as_of).engine("pandas")  # compiled once; the copies inherit it
    _blocks = blocks
    try:
        fork = multiprocessing.get_context("fork")
        with _executor(job, count, fork) as executor, ThreadPoolExecutor(count) as relay:
            yield Helpers(executor, relay, count, True)
    finally:
        _blocks = None


@contextmanager
def forkserver_helpers(job: CaseJob, count: int, needed: Callable[[], bool]) -> Iterator[Helpers | None]:
    """``count`` helpers from the forkserver (or spawned), started in a thread while the caller
    reads its input, if ``needed()`` (asked in that thread, so it may read a file)."""
    if count < 1:
        yield None
        return
    with _executor(job, count) as executor, ThreadPoolExecutor(count) as relay:

        def start() -> None:
            if needed():
                for _ in range(count):
                    executor.submit(_warm)

        starter = threading.Thread(target=start, daemon=True)
        starter.start()
        try:
            yield Helpers(executor, relay, count, False)
        finally:
            starter.join()


def blocks_in_order(job: CaseJob, blocks: Blocks, h: Helpers | None) -> Iterator[tuple[int, Block]]:
    """Every block's result in input order: a helper with no block in hand takes the next
    block, else this process checks it."""
    pending: deque[tuple[int, Future[Block] | Block]] = deque()
    for lo in blocks.starts():
        in_hand = sum(isinstance(r, Future) and not r.done() for _lo, r in pending)
        if h is not None and in_hand < h.count:
            pending.append((lo, h.check(lo, blocks, job.blind)))
        else:
            pending.append((lo, job.run_block(blocks.part(lo))))
        while pending and not (isinstance(pending[0][1], Future) and not pending[0][1].done()):
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(item: tuple[int, Future[Block] | Block]) -> tuple[int, Block]:
    lo, r = item
    return lo, r.result() if isinstance(r, Future) else r


T = TypeVar("T")


def _in_order(calls: Iterable[Callable[[], Future[T]]], workers: int) -> Iterator[T]:
    """Results in order, at most two calls per worker in flight (memory stays bounded)."""
    pending: deque[Future[T]] = deque()
    for call in calls:
        pending.append(call())
        if len(pending) >= 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def parallel_chunks(
    job: CaseJob, chunks: Iterator[list[RawCase]], workers: int
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    with _executor(job, workers) as executor:
        yield from _in_order((partial(executor.submit, _run_in_worker, c) for c in chunks), workers)
