"""Finding batch's case files: every ``*.yaml``/``*.yml`` under the folders given, in a stable
order, lazily, and where each one's outputs go under ``--out``.

The walk is iterative (a 1,200-deep folder chain overflowed the recursive ``os.walk``) and stops
:data:`MAX_FOLDER_DEPTH` levels below a root with a warning; symlinked folders are not followed
(a symlinked file is read only if it is a regular file, :mod:`negplan.io.reading`). File names
are shown with control characters and line breaks escaped, on terminals and in the tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from negplan.display import printable
from negplan.errors import InputError
from negplan.records import record


@record
class Job:
    source: Path
    out_dir: Path
    display: str


#: Mirror folder names that would collide with batch's own tables under ``--out``.
_TAKEN = ("summary.csv", "queue.csv")
#: Folders deeper than this below a root are not searched (a 1,200-deep chain overflowed the
#: recursive walk); a warning names the first one.
MAX_FOLDER_DEPTH = 64


def _mirror_names(roots: list[Path]) -> list[str]:
    """The folder under ``--out`` for each root: its name, made unique (and never one of
    batch's own tables); a case file given on its own goes under its folder's name, shared by
    other files of that folder."""
    names: list[str] = list(_TAKEN)
    by_folder: dict[Path, str] = {}
    for root in roots:
        folder = root.resolve().parent if root.is_file() else root.resolve()
        if root.is_file() and folder in by_folder:
            names.append(by_folder[folder])
            continue
        base = folder.name or "cases"
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
        by_folder.setdefault(folder, name)
    return names[len(_TAKEN) :]


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def discover(roots: list[Path], out: Path, warnings: list[str] | None = None) -> Iterator[Job]:
    """Every ``*.yaml``/``*.yml`` under ``roots``, recursively, in a stable order (lazily):
    a folder's files, then its subfolders in name order. Symlinked folders are not followed;
    a root that is a file is that one case (``negplan batch a.yaml b.yaml``)."""
    resolved_out = out.resolve()
    for root, mirror in zip(roots, _mirror_names(roots), strict=True):
        if root.is_file():
            yield Job(root, out / mirror, printable(str(root)).replace("\n", "\\n"))
            continue
        if not root.is_dir():
            raise InputError.single("no such file or folder", file=root)
        stack: list[tuple[Path, Path, int]] = [(root, Path(), 0)]
        while stack:
            here, relative, depth = stack.pop()
            try:
                with os.scandir(here) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                if warnings is not None:
                    warnings.append(f"{here}: cannot list ({exc.strerror}); not searched")
                continue
            for entry in entries:
                name = entry.name
                if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                    continue
                if not _is_folder(entry):
                    # Shown on terminals and in the tables, one line each: escapes made visible.
                    shown = printable(str(here / name)).replace("\n", "\\n")
                    yield Job(here / name, out / mirror / relative, shown)
            folders = [e for e in entries if not e.name.startswith(".") and _is_folder(e)]
            if folders and depth >= MAX_FOLDER_DEPTH:
                if warnings is not None:
                    warnings.append(
                        f"{here}: folders below this one are more than {MAX_FOLDER_DEPTH} "
                        "levels deep and were not searched"
                    )
                continue
            for entry in reversed(folders):
                path = here / entry.name
                if path.resolve() != resolved_out:
                    stack.append((path, relative / entry.name, depth + 1))
