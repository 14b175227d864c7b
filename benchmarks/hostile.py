"""Hostile inputs at 10 MB: the worst time and peak memory to refuse (or read) each shape.

SPEC §7a: a file is rejected within 2 s and 200 MB whatever its shape. This script writes each
shape issue 18 found (and a few more) just under the 10 MB input limit into a temporary folder,
then runs each one in a fresh process (loading a case file as ``negplan prep`` does,
``negplan verify`` for agreements; the child times only the load), and reports the
wall time of the load and the process's peak resident memory (imports included; the bare
imports' figure is printed for reference).

    python benchmarks/hostile.py            # every shape, once each (about a minute)
    python benchmarks/hostile.py --reps 3   # the worst of three runs per shape

Exit status 1 when a shape misses either target.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIMIT = 10 * 1024 * 1024 - 4096  # just under the input limit
TIME_TARGET = 2.0
MEMORY_TARGET_MB = 200.0

HEAD = (
    "case_id: T-1\njurisdiction: US-CA\ncurrency: USD\ncreditor: {name: N}\n"
    "debtor: {name: M, timezone: America/Los_Angeles, household_size: 1}\n"
)


def _fill(head: str, unit: str, tail: str = "") -> str:
    count = (LIMIT - len(head) - len(tail)) // len(unit.encode("utf-8"))
    return head + unit * count + tail


CONTACT = (
    "- {at: '2026-11-18T10:15:00-08:00', channel: phone, direction: outbound, outcome: no_answer}\n"
)

#: name → (file suffix, text). Case-file shapes are validated; agreement shapes are verified.
SHAPES: dict[str, Callable[[], tuple[str, str]]] = {
    "block list of 2.6M items": lambda: (".yaml", _fill(HEAD + "contacts:\n", "- 1\n")),
    "one-line flow list": lambda: (".yaml", _fill(HEAD + "contacts: [", "1,", "1]\n")),
    "100k+ flow-style contacts": lambda: (".yaml", _fill(HEAD + "contacts:\n", CONTACT)),
    "flow mappings {a: 1}": lambda: (".yaml", _fill(HEAD + "contacts: [", "{a: 1},", "]\n")),
    "deep flow nesting": lambda: (".yaml", "a: " + "[" * (LIMIT // 2 - 8) + "]" * (LIMIT // 2 - 8)),
    "deep block nesting": lambda: (
        ".yaml",
        "".join(" " * i + "a:\n" for i in range(4000)),
    ),
    "many unique keys": lambda: (
        ".yaml",
        HEAD + "".join(f"k{i}: {i}\n" for i in range(LIMIT // 17)),
    ),
    "documents only (---)": lambda: (".yaml", _fill("", "---\n")),
    "comments only": lambda: (".yaml", _fill("", "# a comment line\n")),
    "one 10 MB note": lambda: (".yaml", _fill(HEAD + "notes: ", "x", "\n")),
    "one 10 MB line of spaces": lambda: (".yaml", _fill(HEAD + "notes: x", " ", "x\n")),
    "aliases of one anchor": lambda: (
        ".yaml",
        _fill(HEAD + "a: &a [1, 2, 3]\ncontacts:\n", "- *a\n"),
    ),
    "billion laughs": lambda: (
        ".yaml",
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "contacts: *i\n",
    ),
    "verify: unclosed record openings (md)": lambda: (".md", _fill("", "<!-- negplan-terms: x")),
    "verify: a line of spaces (md)": lambda: (".md", _fill("# A\n", " ", "\n")),
    "verify: spaces before a table rule (md)": lambda: (".md", _fill("| ", " ", "---|\n")),
    "verify: unclosed comments (html)": lambda: (".html", _fill("<!doctype html>", "<!--")),
    "verify: nested hidden tags (html)": lambda: (
        ".html",
        _fill("<!doctype html><html><body>", "<div hidden>"),
    ),
    "verify: a true agreement + 10 MB hidden (html)": lambda: (".html", _padded_agreement()),
}


def _padded_agreement() -> str:
    """A real agreement with its record intact and 10 MB of hidden markup added."""
    example = Path(__file__).resolve().parents[1] / "examples" / "maria-lopez-plan.yaml"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "deal.html"
        subprocess.run(
            [sys.executable, "-m", "negplan", "agreement", str(example), "--option",
             "plan_full_12m", "--as-of", "2026-11-22", "--out", str(out)],
            check=True, capture_output=True,
        )  # fmt: skip
        html = out.read_text("utf-8")
    unit = "<p hidden>x</p>"
    return html.replace("<body>", "<body>" + unit * ((LIMIT - len(html)) // len(unit)), 1)


def _child(path: str) -> None:
    """Load one file; print the time taken and the process's peak memory as JSON."""
    from datetime import date

    from negplan.agreement.verify import verify_file
    from negplan.errors import NegplanError
    from negplan.io.case_file import load_case

    def load(file: Path) -> object:
        if path.endswith(".yaml"):
            return load_case(file, date(2026, 11, 22))
        return verify_file(file)

    imports_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        result = load(Path(path))
        problems = getattr(result, "problems", [])
        outcome = f"ALTERED: {problems[0][:62]}" if problems else "accepted"
    except NegplanError as exc:
        outcome = "refused: " + str(exc).splitlines()[0].split(": ", 1)[-1][:70]
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "imports_mb": imports_kb / 1024,
                "outcome": outcome,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return 0
    worst_time = worst_memory = 0.0
    failed = False
    print(f"{'shape':48} {'size':>8} {'time s':>7} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory(prefix="negplan-hostile-") as folder:
        for name, make in SHAPES.items():
            suffix, text = make()
            path = Path(folder) / f"shape{suffix}"
            path.write_text(text, "utf-8")
            size = path.stat().st_size
            del text
            runs = []
            for _ in range(args.reps):
                done = subprocess.run(
                    [sys.executable, __file__, "--child", str(path)],
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                if done.returncode != 0:
                    print(f"{name}: the process failed\n{done.stderr[-2000:]}")
                    return 1
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            seconds = max(r["seconds"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, peak)
            missed = seconds > TIME_TARGET or peak > MEMORY_TARGET_MB
            failed |= missed
            flag = "  MISSED" if missed else ""
            print(
                f"{name:48} {size / 1e6:6.1f}MB {seconds:7.2f} {peak:8.0f}  "
                f"{runs[0]['outcome']}{flag}"
            )
            path.unlink()
    print(
        f"\nworst time {worst_time:.2f} s (target ≤ {TIME_TARGET} s), worst peak memory "
        f"{worst_memory:.0f} MB (target ≤ {MEMORY_TARGET_MB:.0f} MB; imports alone "
        f"{runs[0]['imports_mb']:.0f} MB)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
