"""``negplan batch`` against the batch floor (issue 20), in alternating runs, in CPU and wall time.

    python benchmarks/batch_pairs.py --cases 1000 --pairs 5
    python benchmarks/batch_pairs.py --cases 10000 --pairs 3 --against /tmp/main-copy

Each pair runs the floor (``run.py``'s: PyYAML's C loader and the case models over the same
files, one process) and then ``negplan batch`` over the generated cases (``run.py``'s, under
``benchmarks/_work/``), each as a whole process with a fresh output folder and dirty pages
flushed first, as ``run.py`` does. ``--against`` adds a third run per pair: the batch of another
checkout of negplan (its folder, e.g. an extracted ``git archive main``), to say what a change
bought; ``--floor-outputs`` a fourth: the floor that also writes a JSON document and a rendered
template for every case (``run.py``'s ``PARSE_AND_WRITE``). CPU seconds are user + system of the
command and its children (``wait4``): on a shared machine they are steadier than wall seconds,
which the load of other processes stretches.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import AS_OF, NOW, PARSE_AND_WRITE, PARSE_ONLY, WORK, generate

HERE = Path(__file__).resolve().parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """CPU and wall seconds of one run, which must succeed (``cwd`` decides which negplan)."""
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another negplan checkout's folder")
    parser.add_argument(
        "--floor-outputs",
        action="store_true",
        help="also time the floor that writes a JSON document and a rendered template a case",
    )
    args = parser.parse_args()
    cases = WORK / f"cases-{args.cases}"
    generate(cases, args.cases)
    out = WORK / f"out-{os.getpid()}"
    when = ["--as-of", AS_OF, "--now", NOW]
    kinds: dict[str, list[tuple[float, float]]] = {
        "floor": [], "batch": [], "other": [], "floor+outputs": []
    }  # fmt: skip
    print(f"load average before {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores", flush=True)
    try:
        for n in range(args.pairs):
            kinds["floor"].append(run([sys.executable, "-c", PARSE_ONLY, str(cases)], HERE.parent))
            batch = [sys.executable, "-m", "negplan", "batch", str(cases), *when]
            kinds["batch"].append(run([*batch, "--out", str(out / f"batch-{n}")], HERE.parent))
            if args.against is not None:
                kinds["other"].append(run([*batch, "--out", str(out / f"other-{n}")], args.against))
            if args.floor_outputs:
                writes = [sys.executable, "-c", PARSE_AND_WRITE, str(cases), str(out / f"w-{n}")]
                kinds["floor+outputs"].append(run(writes, HERE.parent))
            line = " ".join(
                f"{k} {v[-1][0]:.2f} s CPU, {v[-1][1]:.2f} s wall;" for k, v in kinds.items() if v
            )
            print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {line}", flush=True)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    for name, which in (("CPU", 0), ("wall", 1)):
        ratios = [b[which] / f[which] for b, f in zip(kinds["batch"], kinds["floor"], strict=True)]
        fastest = min(b[which] for b in kinds["batch"]) / min(f[which] for f in kinds["floor"])
        print(
            f"batch ÷ floor, {name}: median of {args.pairs} pairs {statistics.median(ratios):.2f} "
            f"({' '.join(f'{r:.2f}' for r in ratios)}); fastest ÷ fastest {fastest:.2f}"
        )
        if kinds["other"]:
            other = [
                b[which] / o[which] for b, o in zip(kinds["batch"], kinds["other"], strict=True)
            ]
            print(f"batch ÷ --against, {name}: median {statistics.median(other):.2f}")
        if kinds["floor+outputs"]:
            fuller = [
                b[which] / w[which]
                for b, w in zip(kinds["batch"], kinds["floor+outputs"], strict=True)
            ]
            print(
                f"batch ÷ floor with outputs, {name}: median {statistics.median(fuller):.2f} "
                f"({' '.join(f'{r:.2f}' for r in fuller)})"
            )
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
