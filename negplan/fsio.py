"""Writing outputs safely: atomically, owner-only, and never outside the folder asked for.

Case data is personal financial data (SPEC §1), so every file negplan writes is created 0600.
A write goes to a temporary file in the same folder and is renamed into place, so a reader (or
an interrupted run) never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from negplan.errors import OutputError

OWNER_ONLY = 0o600


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically with owner-only permissions; return ``path``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write here ({exc.strerror})") from None
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        tmp_path.chmod(OWNER_ONLY)
        tmp_path.replace(path)
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
    with a separator, ``..`` or an absolute path is refused here whatever its origin.
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
    target = (out_dir / file_name).resolve()
    if target.parent != out_dir.resolve():
        raise OutputError(f"refusing to write {file_name!r} outside {out_dir}")
    return out_dir / file_name
