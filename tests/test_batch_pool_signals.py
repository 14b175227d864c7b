"""A worker stopped while it reports back exits, instead of hanging the batch (SPEC §7a).

When a worker dies, ``ProcessPoolExecutor`` sends SIGTERM to the others and waits for them. A
worker then blocked in sending its result (the result pipe full, and no longer read) turned the
signal into ``SystemExit``, which the executor's ``_sendback_result`` catches to send again: it
blocked for ever, and ``batch`` with it (seen under load in the killed-worker test).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from negplan.shell.batch_pool import _run_chunk, worker_signals


def _sendback_result(ready: Path) -> None:
    """The executor's pattern: an exception while sending is caught, and sending is retried."""
    try:
        ready.write_text("sending")
        time.sleep(30)  # a send blocked on a full pipe
    except BaseException:
        time.sleep(30)  # the retry blocks too; only leaving the process ends it


def _worker(ready: str) -> None:
    worker_signals()
    _sendback_result(Path(ready))


def _task(ready: str) -> None:
    Path(ready).write_text("planning")
    try:
        time.sleep(30)
    finally:
        Path(ready + ".cleaned").write_text("yes")  # a write in progress removes its temporary


def _task_worker(ready: str) -> None:
    worker_signals()
    _run_chunk(_task, [ready])


def _stopped(target: Callable[[str], None], ready: Path) -> tuple[int | None, float]:
    process = multiprocessing.get_context("fork").Process(target=target, args=(str(ready),))
    process.start()
    deadline = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    os.kill(process.pid or 0, signal.SIGTERM)
    process.join(timeout=10)
    took = time.monotonic() - started
    if process.is_alive():
        process.kill()
        process.join()
        return None, took
    return process.exitcode, took


def test_sigterm_while_reporting_back_ends_the_worker_at_once(tmp_path: Path) -> None:
    code, took = _stopped(_worker, tmp_path / "ready")
    assert code == 128 + signal.SIGTERM, f"the worker did not exit ({took:.1f} s)"


def test_sigterm_in_a_task_cleans_up_and_then_exits_without_reporting(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    code, _ = _stopped(_task_worker, ready)
    assert code == 128 + signal.SIGTERM
    assert (tmp_path / "ready.cleaned").read_text() == "yes"
