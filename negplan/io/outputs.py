"""Writing outputs safely: atomically, owner-only, and never outside the folder asked for.

Case data is personal financial data (SPEC §1), so every file negplan writes is created 0600.
A write goes to a temporary file in the same folder and is renamed into place, so a reader (or
an interrupted run) never sees half a file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from negplan.errors import OutputError

OWNER_ONLY = 0o600


TEMP_SUFFIX = ".tmp"


_counter = itertools.count()


def _create_temporary(path: Path) -> tuple[int, Path]:
    """Create ``.NAME.PID.N.tmp`` beside ``path``, owner-only from the start (O_EXCL)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    tmp_path = path.parent / f".{path.name}.{os.getpid()}.{next(_counter)}{TEMP_SUFFIX}"
    try:
        return os.open(tmp_path, flags, OWNER_ONLY), tmp_path
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:  # left by a crashed process that had our pid: pick a fresh name
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        return fd, Path(name)
    return os.open(tmp_path, flags, OWNER_ONLY), tmp_path


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically with owner-only permissions; return ``path``.

    ``durable`` also flushes the file to disk before the rename (survives a power cut); batch
    runs skip that for speed, keeping the guarantee that no reader ever sees half a file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp_path = _create_temporary(path)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write here ({exc.strerror})") from None
    try:
        try:
            remaining = memoryview(payload)
            while remaining:
                remaining = remaining[os.write(fd, remaining) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        tmp_path.replace(path)  # rename: atomic, and never follows a symlink at ``path``
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        raise
    return path


def output_path(out_dir: Path, file_name: str) -> Path:
    """``out_dir / file_name``, refusing any name that would land outside ``out_dir``.

    Case ids are validated to ``[A-Za-z0-9._-]``, but this is the last line of defence: a name
    with a separator, ``..`` or an absolute path is refused here whatever its origin. (A symlink
    already at the target is harmless: :func:`write_atomic` renames over it, never through it.)
    """
    if (
        not file_name
        or file_name in (".", "..")
        or "/" in file_name
        or "\\" in file_name
        or "\x00" in file_name
        or file_name.startswith("..")
    ):
        raise OutputError(f"refusing unsafe output file name {file_name!r}")
    return out_dir / file_name


def remove_temporaries(folder: Path, pids: set[int]) -> int:
    """Delete the temporary files that the processes ``pids`` (this run's own) left under
    ``folder`` when interrupted: ``.NAME.PID.N.tmp``. Another run's files, and other
    programs' files, are left alone. The walk is iterative (an output tree may be deep) and
    never follows a symlinked folder."""
    ours = re.compile(r"^\..+\.(" + "|".join(str(p) for p in sorted(pids)) + r")\.\d+\.tmp$")
    removed = 0
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif ours.match(entry.name):
                    Path(entry.path).unlink()
                    removed += 1
    return removed


@contextlib.contextmanager
def atomic_text_writer(path: Path) -> Iterator[TextIO]:
    """Stream text into ``path``: it appears, owner-only and whole, only if the block succeeds."""
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write here ({exc.strerror})") from None
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        tmp_path.chmod(OWNER_ONLY)
        tmp_path.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
