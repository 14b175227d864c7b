"""Batch's worker processes: a pool that survives a dead worker, and a clean stop on a signal.

``multiprocessing.Pool`` loses the task of a worker killed by ``kill -9`` or the out-of-memory
killer, and ``imap`` then waits forever. :class:`concurrent.futures.ProcessPoolExecutor` instead
fails every task in flight with ``BrokenProcessPool``: the pool is then rebuilt and each of those
chunks of files is tried once more, file by file; a file whose worker dies a second time is
reported as an error of its own, and the run goes on (SPEC §7a: a dead worker never hangs a
batch).

SIGTERM is handled like Ctrl-C (SPEC §7a): :func:`signals_interrupt` turns both into
``KeyboardInterrupt`` in the main process, which stops the workers (each cleans up the file it
was writing) before the run's own cleanup; the signal is remembered for the exit status
(128 + its number, as shells report it).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import islice
from typing import Any, Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """While inside: SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""

    def interrupt(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in before:
        signal.signal(s, interrupt)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker through
    ``SystemExit``, so an interrupted write removes its temporary file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)


def _exit_on_term(signum: int, frame: Any) -> None:
    """In a task, unwind it (its write in progress removes its temporary file); elsewhere the
    worker has nothing of its own to clean up, so it exits at once. A worker sending results back
    must not unwind: the executor's ``_sendback_result`` catches the exit and sends again into a
    pipe that a broken pool no longer reads, and the worker, and the batch, then wait forever."""
    here = frame
    while here is not None:
        if here.f_code is _run_chunk.__code__:
            raise SystemExit(128 + signum)
        here = here.f_back
    os._exit(128 + signum)


def _run_chunk(task: Callable[[J], R], chunk: Sequence[J]) -> list[R]:
    try:
        return [task(item) for item in chunk]
    except SystemExit as stop:  # SIGTERM in a task: unwound and cleaned up; never report back
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _each(task: Callable[[J], R], chunk: Sequence[J]) -> list[R]:
    """A per-job task as a chunk task (``Pool.map``)."""
    return [task(item) for item in chunk]


class Pool(Generic[J, R]):
    """Chunks of jobs to worker processes, results in the order the jobs came."""

    def __init__(
        self,
        workers: int,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        on_dead: Callable[[J], R],
    ) -> None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        self._workers = workers
        self._init = (initializer, initargs)
        self._on_dead = on_dead
        self._executor = self._start()
        self.pids: set[int] = set()  # every worker this run started (their temporaries)

    def _start(self) -> ProcessPoolExecutor:
        initializer, initargs = self._init
        return ProcessPoolExecutor(
            self._workers, mp_context=self._context, initializer=initializer, initargs=initargs
        )

    def _note_pids(self) -> None:
        processes = getattr(self._executor, "_processes", None) or {}
        self.pids.update(int(pid) for pid in processes)

    def _restart(self) -> None:
        self._note_pids()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._start()

    def map(
        self, task: Callable[[J], R], jobs: Iterable[J], window: int, chunk: int
    ) -> Iterator[R]:
        """``task`` over ``jobs``, one job at a time in the workers (see :meth:`map_chunks`)."""
        return self.map_chunks(partial(_each, task), jobs, window, chunk)

    def map_chunks(
        self, task: Callable[[Sequence[J]], list[R]], jobs: Iterable[J], window: int, chunk: int
    ) -> Iterator[R]:
        """``task`` over ``jobs`` a chunk at a time, one result per job in order; up to
        ``window`` jobs in flight, ``chunk`` to a hand-over. A task that takes the chunk does once
        what would cost a round trip per job (``batch``'s ledger read, SPEC §8)."""
        iterator = iter(jobs)
        in_flight: deque[tuple[list[J], Future[list[list[R]]]]] = deque()

        def submit(count: int) -> None:
            while count > 0 and (chunk_jobs := list(islice(iterator, min(chunk, count)))):
                future = self._executor.submit(_run_chunk, task, [chunk_jobs])
                in_flight.append((chunk_jobs, future))
                count -= len(chunk_jobs)

        submit(window)
        while in_flight:
            chunk_jobs, future = in_flight.popleft()
            try:
                (results,) = future.result()
            except BrokenProcessPool:
                pending = [chunk_jobs] + [jobs_ for jobs_, _ in in_flight]
                in_flight.clear()
                self._restart()
                for retried in pending:  # once more, one file at a time; then a reported death
                    yield from self._retry(task, retried)
                self._note_pids()
                submit(window)
                continue
            self._note_pids()
            yield from results
            submit(len(chunk_jobs))

    def _retry(self, task: Callable[[Sequence[J]], list[R]], jobs: list[J]) -> Iterator[R]:
        for job in jobs:
            future = self._executor.submit(_run_chunk, task, [[job]])
            try:
                (results,) = future.result()
                yield from results
            except BrokenProcessPool:
                self._restart()
                yield self._on_dead(job)

    def close(self, *, interrupted: bool) -> None:
        """Wait for the workers; when interrupted, stop them first (SIGTERM: they clean up)."""
        self._note_pids()
        if interrupted:
            processes = getattr(self._executor, "_processes", None) or {}
            for pid in list(processes):
                with contextlib.suppress(OSError):
                    os.kill(int(pid), signal.SIGTERM)
        with contextlib.suppress(Exception):
            self._executor.shutdown(wait=True, cancel_futures=True)
