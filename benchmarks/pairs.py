"""Time two commands in alternating pairs, in CPU and wall seconds, and print their ratios.

    python benchmarks/pairs.py --pairs 15 \\
        "negplan prep examples/maria-lopez-plan.yaml --out /tmp/x" \\
        "python benchmarks/stack_floor.py prep examples/maria-lopez-plan.yaml --out /tmp/x"

On a shared machine the speed drifts by tens of percent within a minute; runs taken as A B A B …
share that drift, and the ratio of each pair is steadier than either time. CPU seconds (user +
system of the command and its children, from ``wait4``) are steadier still than wall seconds
when other processes compete for the cores. Printed: every pair's CPU ratio, the medians, and the
load average before and after. Each command runs once first, unmeasured (file and user caches).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time

#: Commands run as a user's shell would: with byte-code caching on (as in ``run.py``).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> tuple[float, float]:
    """CPU and wall seconds of one run of ``command``, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {shlex.join(command)}\n{err.decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="the command measured (one shell-quoted string)")
    parser.add_argument("b", help="the command it is compared with")
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    a, b = shlex.split(args.a), shlex.split(args.b)
    load_before = os.getloadavg()
    run(a), run(b)
    cpu_a, cpu_b, wall_a, wall_b = [], [], [], []
    for _ in range(args.pairs):
        for command, cpu, wall in ((a, cpu_a, wall_a), (b, cpu_b, wall_b)):
            spent, took = run(command)
            cpu.append(spent)
            wall.append(took)
    ratios = [x / y for x, y in zip(cpu_a, cpu_b, strict=True)]
    wall_ratios = [x / y for x, y in zip(wall_a, wall_b, strict=True)]
    load_after = os.getloadavg()
    print(f"A: {args.a}\nB: {args.b}")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"{os.cpu_count()} cores"
    )
    print(
        f"A/B CPU: median of {args.pairs} pairs {statistics.median(ratios):.3f} "
        f"(min {min(ratios):.3f}, max {max(ratios):.3f}); wall {statistics.median(wall_ratios):.3f}"
    )
    print(
        f"A CPU median {statistics.median(cpu_a) * 1000:.0f} ms (min {min(cpu_a) * 1000:.0f}), "
        f"B {statistics.median(cpu_b) * 1000:.0f} ms (min {min(cpu_b) * 1000:.0f}); "
        f"min ÷ min {min(cpu_a) / min(cpu_b):.3f}"
    )
    print("pairs (CPU):", " ".join(f"{r:.2f}" for r in ratios))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
