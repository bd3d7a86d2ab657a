"""Worker processes: started (and warmed) at once, fed blocks or chunks in order, at most two
per worker in flight so memory stays bounded."""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

import pandas as pd

from ..adapters.tables import ArrowTables
from ..evaluation import plan_for
from .blocks import Block
from .job import CaseJob
from .sources import RawCase

#: Cases per block on the column-wise path: big enough that per-operation overhead vanishes,
#: small enough that a block's facts stay well under a gigabyte.
COLUMN_BLOCK = 100_000
#: Cases per chunk on the per-case path (JSON Lines, AFCARS, iterables, durable-rules).
CASE_CHUNK = 5000


def block_size(cases: int, workers: int, chunk_size: int | None) -> int:
    """``chunk_size`` if given, else up to ``COLUMN_BLOCK`` cases and small enough that every
    worker gets a block."""
    if chunk_size:
        return chunk_size
    return max(1, min(COLUMN_BLOCK, -(-cases // max(workers, 1))))


_job: CaseJob | None = None


def _init_worker(job: CaseJob) -> None:
    global _job
    _job = job


def _run_in_worker(chunk: list[RawCase]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    assert _job is not None
    return _job.run(chunk)


def _block_in_worker(part: ArrowTables, blind: frozenset[str]) -> Block:
    assert _job is not None
    return dataclasses.replace(_job, blind=blind).run_block(part)


def _warm() -> None:
    """Compile the plan and engine in a worker before the first block arrives."""
    assert _job is not None
    plan_for(_job.catalogue, _job.as_of).engine("pandas")


def _executor(job: CaseJob, workers: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(job,))


@contextmanager
def pool(job: CaseJob, workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes, started (and warmed) at once; None for a single process."""
    if workers <= 1:
        yield None
        return
    with _executor(job, workers) as executor:
        for _ in range(workers):
            executor.submit(_warm)
        yield executor


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


def parallel_blocks(
    executor: ProcessPoolExecutor,
    blind: frozenset[str],
    blocks: Iterable[tuple[int, ArrowTables]],
    workers: int,
) -> Iterator[tuple[int, Block]]:
    offsets: deque[int] = deque()

    def calls() -> Iterator[Callable[[], Future[Block]]]:
        for lo, part in blocks:
            offsets.append(lo)
            yield partial(executor.submit, _block_in_worker, part, blind)

    for b in _in_order(calls(), workers):
        yield offsets.popleft(), b
