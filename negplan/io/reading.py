"""Reading an input file's bytes without trusting what the file system says about it.

A ``*.yaml`` in a shared folder may be a symlink to ``/dev/zero`` or ``/dev/urandom``, or a FIFO
nobody writes to: ``stat`` reports 0 bytes for all three, and reading them never ends (SPEC §7a).
So a file is opened without blocking, checked on the open descriptor (a regular file, or it is
refused before a byte is read), and read only up to the limit, the limit applying to the bytes
actually read.
"""

from __future__ import annotations

import os
import stat
import sys
import typing
from pathlib import Path

from negplan.errors import InputError, Problem

MAX_BYTES = 10 * 1024 * 1024


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (else an error)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError.single("no such file", file=name) from None
    except PermissionError:
        raise InputError.single("permission denied", file=name) from None
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", file=name) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError.single("is a folder, not a file", file=name)
        if not stat.S_ISREG(mode):
            raise InputError.single(
                f"is {_kind(mode)}, not a file; negplan reads only regular files", file=name
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", file=name) from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError.single(
            f"file is over {limit // (1024 * 1024)} MB; case and rules files are limited to "
            f"{limit // (1024 * 1024)} MB",
            file=name,
        )
    return b"".join(chunks)


def read_text(source: str | Path, *, stdin: typing.TextIO | None = None) -> tuple[str, str]:
    """Read a case or rules file (``-`` for stdin) as text; return (text, name for messages)."""
    name = "<stdin>" if str(source) == "-" else str(source)
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin
        raw = stream.read(MAX_BYTES + 1).encode("utf-8", errors="surrogateescape")
        if len(raw) > MAX_BYTES:
            raise InputError.single("input is over 10 MB", file=name)
    else:
        raw = read_limited(Path(source), name)
    if b"\x00" in raw:
        raise InputError.single("binary file (contains NUL bytes); expected YAML text", file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(raw, exc.start, name) from None
    if not text.strip():
        raise InputError.single("file is empty", file=name)
    return text, name


def _not_utf8(raw: bytes, offset: int, name: str) -> InputError:
    """Where the first byte that is not UTF-8 is, as line:column, and what to do about it (the
    usual cause is a file saved as Latin-1 or Windows-1252 by a spreadsheet or an old editor)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return InputError(
        [
            Problem(
                f"not UTF-8 text (byte 0x{raw[offset]:02x} here; the file looks saved as Latin-1 "
                "or Windows-1252): re-save it as UTF-8 in your editor",
                file=name,
                line=line,
                column=column,
            )
        ]
    )
