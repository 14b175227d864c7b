"""Measure negplan's performance targets (SPEC §7, issue 20) as ratios, in one run.

    python benchmarks/run.py            # 10,000 and 20,000 generated cases (several minutes)
    python benchmarks/run.py --quick    # 1,000 and 2,000 cases, for a smoke test

Ratios, not seconds, because machines differ and are noisy; each ratio compares two things
measured on the same machine in the same run, alternately:

1. prep ÷ floor:    ``negplan prep`` on an example case vs the "stack floor"
                    (``benchmarks/stack_floor.py``: a Typer command with prep's options, 45
                    pydantic models, a nested case validated, YAML parsed with the C loader, a
                    Jinja template rendered). Target ≤ 1.10. Also prep ÷ the bare import of
                    ``typer, rich, pydantic, jinja2, yaml`` (reported, no target).
2. big ÷ plain:     ``negplan prep`` on the example with 2,000 contacts and 1,000 payments vs the
                    example itself (target ≤ 1.5), and with 4,999 contacts and 2,000 payments
                    (should grow linearly: the cost per extra item is reported for both).
3. batch ÷ floor:   ``negplan batch`` over N cases vs one process that parses the same files
                    with PyYAML's C loader and validates them with the case models,
                    alternating (``--reps`` pairs): the median of the pairs' ratios, and
                    fastest ÷ fastest. Target ≤ 1.5.
4. prep × N ÷ batch: ``negplan prep`` once per file (timed on a sample, scaled to N) vs batch.
                    Target ≥ 50.
5. memory 2N ÷ N:   peak resident memory of the batch (all its processes) for 2N cases vs N,
                    sampled in runs of their own. Target ≤ 1.10.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
EXAMPLE = ROOT / "examples" / "maria-lopez-plan.yaml"
NEGPLAN = [sys.executable, "-m", "negplan"]
AS_OF = "2026-11-22"
NOW = "2026-11-22T10:00:00-08:00"

STATES = ["US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-PA", "US-AZ", "US-WA", "GB-ENG", "IN-MH"]
ZONES = {"US-CA": "America/Los_Angeles", "US-NY": "America/New_York", "US-TX": "America/Chicago",
         "US-FL": "America/New_York", "US-IL": "America/Chicago", "US-PA": "America/New_York",
         "US-AZ": "America/Phoenix", "US-WA": "America/Los_Angeles", "GB-ENG": "Europe/London",
         "IN-MH": "Asia/Kolkata"}  # fmt: skip
CURRENCY = {"GB-ENG": "GBP", "IN-MH": "INR"}

CASE = """\
case_id: BENCH-{n:06d}
jurisdiction: {jurisdiction}
currency: {currency}
creditor:
  name: Benchmark Lending LLC
  collector_name: Sam Patel
  phone: "+1 800 555 0100"
  is_third_party_collector: {third_party}
debtor:
  name: Debtor {n}
  timezone: {zone}
  phone: "+1 415 555 0134"
  email: debtor{n}@example.com
  address: "{n} Example Way"
  household_size: {household}
  inconvenient_times: ["08:00-09:00"]
debt:
  account_ref: "****{ref:04d}"
  product: {product}
  original_principal: {original}
  annual_rate: 0.{rate:04d}
  opened: 2018-03-15
  balance: {{principal: {principal}, interest: {interest}, fees: {fees}}}
  first_delinquency: {delinquent}
  last_payment: {last_payment}
  contract: written
  validation_notice_sent: 2026-10-03
payment_history:
  - {{date: {last_payment}, amount: {payment}}}
contacts:
  - {{at: 2026-11-10T10:15:00{offset}, channel: phone, outcome: no_answer}}
  - {{at: 2026-11-12T17:40:00{offset}, channel: phone, outcome: voicemail}}
previous_negotiations:
  - {{date: 2026-08-10, terms: "6 x 250.00", outcome: broken_promise}}
finances:
  income:
    - {{source: salary, amount: {salary}, frequency: monthly}}
    - {{source: side work, amount: {side}, frequency: weekly}}
  expenses:
    - {{category: housing, amount: {housing}}}
    - {{category: food, amount: {food}}}
    - {{category: utilities, amount: 210.00}}
    - {{category: transport, amount: 180.00}}
    - {{category: dining_out, amount: 60.00}}
  debts:
    - {{creditor: Visa, balance: 4200.00, payment: {visa}, priority: false}}
    - {{creditor: County tax, balance: 900.00, payment: 75.00, priority: true}}
  assets:
    - {{kind: cash, value: {cash}}}
    - {{kind: vehicle, value: 6000.00, secured_debt: 2000.00}}
  hardship:
    reason: {hardship}
    temporary: {temporary}
notes: "Generated for benchmarks."
"""

OFFSETS = {"America/Los_Angeles": "-08:00", "America/New_York": "-05:00",
           "America/Chicago": "-06:00", "America/Phoenix": "-07:00", "Europe/London": "+00:00",
           "Asia/Kolkata": "+05:30"}  # fmt: skip


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` varied, valid case files into ``folder`` (100 per subfolder)."""
    if folder.exists() and len(list(folder.rglob("*.yaml"))) == count:
        return
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(seed)
    for n in range(count):
        jurisdiction = rng.choice(STATES)
        zone = ZONES[jurisdiction]
        principal = rng.randint(500, 40000)
        days = rng.randint(20, 2400)  # some are time-barred
        delinquent = date_minus(AS_OF, days)
        text = CASE.format(
            n=n,
            jurisdiction=jurisdiction,
            currency=CURRENCY.get(jurisdiction, "USD"),
            third_party=str(rng.random() < 0.2).lower(),
            zone=zone,
            offset=OFFSETS[zone],
            household=rng.randint(1, 6),
            ref=rng.randint(0, 9999),
            product=rng.choice(["personal_loan", "credit_card", "medical", "auto_loan"]),
            original=f"{principal * 1.4:.2f}",
            rate=rng.randint(500, 2999),
            principal=f"{principal}.{rng.randint(0, 99):02d}",
            interest=f"{rng.randint(0, 3000)}.{rng.randint(0, 99):02d}",
            fees=f"{rng.randint(0, 300)}.00",
            delinquent=delinquent,
            last_payment=date_minus(delinquent, rng.randint(1, 40)),
            payment=f"{rng.randint(50, 600)}.00",
            salary=f"{rng.randint(1200, 7000)}.00",
            side=f"{rng.randint(0, 300)}.00",
            housing=f"{rng.randint(600, 2600)}.00",
            food=f"{rng.randint(300, 1400)}.00",
            visa=f"{rng.randint(0, 300)}.00",
            cash=f"{rng.randint(0, 30000)}.00",
            hardship=rng.choice(["job_loss", "reduced_hours", "medical", "none"]),
            temporary=str(rng.random() < 0.5).lower(),
        )
        sub = folder / f"batch-{n // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"case-{n:06d}.yaml").write_text(text, encoding="utf-8")


def date_minus(iso: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) - timedelta(days=days)).isoformat()


class PeakMemory:
    """Samples the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            self.peak_kib = max(self.peak_kib, total)
            time.sleep(0.05)


#: Children run as a user's shell would: with byte-code caching on (some CI shells turn it off,
#: which would time compiling negplan from source on every run rather than running it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], *, memory: bool = False) -> tuple[float, int]:
    """Wall seconds (and peak KiB of the process tree) of a command; it must succeed.

    Dirty pages are flushed first, so no run pays for writing back the previous run's outputs.
    """
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    if memory:
        with PeakMemory(process.pid) as peak:
            _, err = process.communicate()
        kib = peak.peak_kib
    else:
        _, err = process.communicate()
        kib = 0
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode()}")
    return elapsed, kib


#: The batch floor (issue 20): PyYAML's C loader and the case models, nothing of negplan's own
#: reading. Amounts are read as Decimal (the case models refuse binary floats, SPEC §1): the
#: loader's float constructor is the only one replaced.
PARSE_ONLY = """
import sys
from decimal import Decimal
from pathlib import Path
import yaml
from negplan.core.case import parse_case
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    parse_case(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))
"""

#: The batch floor that also writes, for every case, what SPEC §5 asks of ``batch`` in its
#: simplest form: a JSON document (the validated case) and a rendered Jinja template, each to
#: its own file under ``argv[2]``. Not the issue's floor: measured beside it (``batch_pairs.py
#: --floor-outputs``), so that the share of the outputs can be read off.
PARSE_AND_WRITE = """
import sys
from decimal import Decimal
from pathlib import Path
import jinja2
import yaml
from negplan.core.case import parse_case
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)
TEMPLATE = (
    "# Call script: {{ case.debtor.name }} ({{ case.case_id }})\\n"
    "Balance {{ case.balance }} {{ case.currency }}, {{ case.contacts|length }} contacts.\\n"
    "{% for contact in case.contacts %}- {{ contact.at }}: {{ contact.channel.value }}\\n"
    "{% endfor %}"
)
template = jinja2.Environment(autoescape=False).from_string(TEMPLATE)
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    case = parse_case(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))
    (out / f"{case.case_id}.json").write_text(case.model_dump_json(), encoding="utf-8")
    (out / f"{case.case_id}.md").write_text(template.render(case=case), encoding="utf-8")
"""


def progress(line: str) -> None:
    """Each figure as soon as it is measured, with the load: a run stopped early keeps them."""
    load = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')} load {load:.1f}] {line}", flush=True)


def big_case(folder: Path, contacts: int, payments: int) -> Path:
    """The example case with ``contacts`` logged calls and ``payments`` ledger payments."""
    from datetime import date, datetime, timedelta

    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    first = lines.index("payment_history:")
    end = lines.index("previous_negotiations:")
    start = datetime(2026, 11, 18, 10, 15)
    calls = [
        f"  - {{at: {(start - timedelta(hours=7 * (n + 2))).isoformat()}-08:00, channel: phone, "
        "outcome: no_answer}"
        for n in range(contacts - 1)
    ]
    calls.append(lines[end - 1])  # the example's conversation, which sets the quiet period
    paid = [
        f"  - {{date: {(date(2026, 5, 2) - timedelta(days=n)).isoformat()}, amount: 3.35}}"
        for n in range(payments)
    ]
    text = [*lines[:first], "payment_history:", *paid, "contacts:", *calls, *lines[end:]]
    path = folder / f"big-{contacts}.yaml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 2,000 cases")
    parser.add_argument("--sample", type=int, default=20, help="prep runs timed per ratio")
    parser.add_argument("--reps", type=int, default=5, help="batch and parse runs, alternating")
    args = parser.parse_args()
    n = 1000 if args.quick else 10_000
    WORK.mkdir(exist_ok=True)
    small, large = WORK / f"cases-{n}", WORK / f"cases-{2 * n}"
    print(f"generating {n:,} and {2 * n:,} cases under {WORK} …", flush=True)
    generate(small, n)
    generate(large, 2 * n)
    # A fresh output folder per run, all removed at the end: creating files just after deleting
    # thousands in the same place is slow on ext4 (it skips recently freed inodes), which would
    # time the file system's housekeeping rather than negplan.
    runs = WORK / f"out-{os.getpid()}"
    out = runs / "prep"

    # 1. prep vs the stack floor, the bare imports and two big cases, all alternating so that
    #    they share the machine's noise.
    def prep_of(case: Path) -> list[str]:
        return [*NEGPLAN, "prep", str(case), "--as-of", AS_OF, "--now", NOW, "--out", str(out)]

    out.mkdir(parents=True, exist_ok=True)
    commands = {
        "prep": prep_of(EXAMPLE),
        "floor": [sys.executable, str(HERE / "stack_floor.py"), "prep", str(EXAMPLE),
                  "--as-of", AS_OF, "--now", NOW, "--out", str(out)],
        "imports": [sys.executable, "-c", "import typer, rich, pydantic, jinja2, yaml"],
        "big": prep_of(big_case(WORK, 2000, 1000)),
        "bigger": prep_of(big_case(WORK, 4999, 2000)),
    }  # fmt: skip
    for command in commands.values():
        timed(command)  # warm the file cache and the user cache
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.sample):
        for name, command in commands.items():
            samples[name].append(timed(command)[0])
    median = {name: statistics.median(times) for name, times in samples.items()}
    progress("prep medians (s): " + ", ".join(f"{k} {v:.3f}" for k, v in median.items()))
    t_prep = median["prep"]

    # 2. batch vs parse-and-validate only, same files, alternating. A shared machine's speed
    #    drifts by tens of percent within a minute, so two estimates are shown: the median of the
    #    pairs' ratios, and the fastest batch ÷ the fastest parse (the runs least disturbed).
    #    Timed runs are not sampled for memory: the sampler itself takes ~6% of a core.
    parse_times, batch_times, ratios = [], [], []
    for rep in range(args.reps):
        t_parse, _ = timed([sys.executable, "-c", PARSE_ONLY, str(small), AS_OF])
        batch = [*NEGPLAN, "batch", str(small), "--out", str(runs / f"small-{rep}"),
                 "--as-of", AS_OF, "--now", NOW]  # fmt: skip
        t_batch, _ = timed(batch)
        parse_times.append(t_parse)
        batch_times.append(t_batch)
        ratios.append(t_batch / t_parse)
        progress(f"batch pair {rep + 1}: batch {t_batch:.1f} s, parse {t_parse:.1f} s")
    middle = sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]
    t_parse, t_batch = parse_times[middle], batch_times[middle]  # the median pair's own times
    best_ratio = min(batch_times) / min(parse_times)

    # 3. prep once per file: timed on a sample of the files, scaled to all of them.
    files = sorted(small.rglob("*.yaml"))[: args.sample]
    start = time.perf_counter()
    for file in files:
        timed(
            [
                *NEGPLAN,
                "prep",
                str(file),
                "--as-of",
                AS_OF,
                "--now",
                NOW,
                "--out",
                str(out),
                "--json",
            ]
        )
    per_file = (time.perf_counter() - start) / len(files)
    progress(f"prep per file {per_file * 1000:.0f} ms")

    # 4. memory: N and twice N cases, in runs of their own.
    batch_memory = [*NEGPLAN, "batch", str(small), "--out", str(runs / "memory"), "--as-of", AS_OF,
                    "--now", NOW]  # fmt: skip
    _, mem_small = timed(batch_memory, memory=True)
    progress(f"peak memory, batch of {n:,}: {mem_small / 1024:.0f} MiB")
    batch_large = [*NEGPLAN, "batch", str(large), "--out", str(runs / "large"), "--as-of", AS_OF,
                   "--now", NOW]  # fmt: skip
    t_batch_large, mem_large = timed(batch_large, memory=True)
    progress(f"peak memory, batch of {2 * n:,}: {mem_large / 1024:.0f} MiB ({t_batch_large:.0f} s)")
    shutil.rmtree(runs, ignore_errors=True)

    def per_item(name: str, items: int) -> str:
        return f"{(median[name] - t_prep) / items * 1e6:.0f} µs per extra item"

    rows = [
        (
            "prep ÷ stack floor",
            t_prep / median["floor"],
            "≤ 1.10",
            f"{t_prep * 1000:.0f} ms vs {median['floor'] * 1000:.0f} ms (medians of {args.sample})",
        ),
        (
            "prep ÷ imports",
            t_prep / median["imports"],
            "(ref.)",
            f"imports alone {median['imports'] * 1000:.0f} ms",
        ),
        (
            "prep, 2,000 contacts ÷ plain",
            median["big"] / t_prep,
            "≤ 1.50",
            f"{median['big'] * 1000:.0f} ms; {per_item('big', 2998)}",
        ),
        (
            "prep, 4,999 contacts ÷ plain",
            median["bigger"] / t_prep,
            "linear",
            f"{median['bigger'] * 1000:.0f} ms; {per_item('bigger', 6997)}",
        ),
        (
            f"batch ÷ parse+validate ({n:,})",
            statistics.median(ratios),
            "≤ 1.50",
            f"median of {len(ratios)} alternating pairs "
            f"({', '.join(f'{r:.2f}' for r in ratios)}); median pair {t_batch:.1f} s vs "
            f"{t_parse:.1f} s",
        ),
        (
            "  fastest batch ÷ fastest parse",
            best_ratio,
            "≤ 1.50",
            f"{min(batch_times):.1f} s vs {min(parse_times):.1f} s",
        ),
        (
            f"prep per file ÷ batch ({n:,})",
            per_file * n / t_batch,
            "≥ 50",
            f"{per_file * 1000:.0f} ms × {n:,} vs {t_batch:.1f} s",
        ),
        (
            f"peak memory {2 * n:,} ÷ {n:,}",
            mem_large / mem_small,
            "≤ 1.10",
            f"{mem_large / 1024:.0f} MiB vs {mem_small / 1024:.0f} MiB "
            f"(batch of {2 * n:,} took {t_batch_large:.1f} s)",
        ),
    ]
    load = os.getloadavg()
    print(
        f"\nnegplan benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"{'ratio':<34} {'measured':>9}  {'target':<7} detail")
    for name, ratio, target, detail in rows:
        print(f"{name:<34} {ratio:>9.2f}  {target:<7} {detail}")


if __name__ == "__main__":
    main()
