"""`make bench`: every workload against its baselines, measured in one run, as ratios.

Each measurement is a fresh process. Ours and its baseline run in turn, several rounds,
and each ratio is the median of the per-round ratios, so a machine that slows down
midway affects both sides alike. Results go to stdout and to bench/results.md.
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UPSTREAM = Path(os.environ.get("MICROGRAD_UPSTREAM", ROOT / ".venv" / "upstream"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def run(script, *args, upstream=False):
    """One workload in a process of its own; its JSON result."""
    env = dict(os.environ, PYTHONPATH=str(UPSTREAM if upstream else ROOT))
    done = subprocess.run([sys.executable, str(HERE / script), *map(str, args)], env=env,
                          capture_output=True, text=True, check=True, cwd=HERE)
    return json.loads(done.stdout)


def rounds(*sides):
    """Run each (script, args, upstream) side in turn, ROUNDS times: lists of results."""
    results = [[] for _ in sides]
    for _ in range(ROUNDS):
        for out, (script, args, upstream) in zip(results, sides):
            out.append(run(script, *args, upstream=upstream))
    return results


def ratio(a, b, key):
    return statistics.median(x[key] / y[key] for x, y in zip(a, b))


def median(results, key):
    return statistics.median(r[key] for r in results)


def check_same(results, key, what):
    values = {round(r[key], 12) for rs in results for r in rs}
    if len(values) != 1:
        sys.exit(f"bench: {what} disagree on {key}: {sorted(values)}")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = [f"Python {platform.python_version()}"]
    try:
        import torch
        versions.append(f"torch {torch.__version__}")
    except ImportError:
        pass
    return f"{cpu}, {os.cpu_count()} cores; {', '.join(versions)}; {platform.platform()}"


def main():
    if not (UPSTREAM / "micrograd" / "engine.py").exists():
        sys.exit(f"bench: micrograd 0.1.0 is not installed in {UPSTREAM} (make bench does it)")
    rows = []

    ours, upstream, floor = rounds(("workloads.py", ["demo"], False),
                                   ("workloads.py", ["demo"], True),
                                   ("floor.py", ["floor"], False))
    check_same([ours, upstream, floor], "first_loss", "demo step: ours, 0.1.0 and floor")
    rows += [
        ("demo step: micrograd 0.1.0 / ours (target >= 50)",
         f"{ratio(upstream, ours, 'seconds'):.1f}x"),
        ("demo step: ours / hand-written floor (target <= 4)",
         f"{ratio(ours, floor, 'seconds'):.2f}x"),
        ("demo step: seconds (ours, 0.1.0, floor)",
         f"{median(ours, 'seconds'):.4f}, {median(upstream, 'seconds'):.3f}, "
         f"{median(floor, 'seconds'):.4f}"),
    ]
    try:
        import torch  # noqa: F401
        (torch_eager,) = rounds(("floor.py", ["torch"], False))
        check_same([ours, torch_eager], "first_loss", "demo step: ours and torch")
        rows.append(("demo step: PyTorch eager (0-d float64) / ours",
                     f"{median(torch_eager, 'seconds') / median(ours, 'seconds'):.1f}x"))
    except ImportError:
        rows.append(("demo step: PyTorch eager", "torch not installed"))

    ours, upstream = rounds(("workloads.py", ["chain"], False),
                            ("workloads.py", ["chain"], True))
    rows += [
        ("primitive chain: 0.1.0 / ours per node, forward + backward (target >= 8)",
         f"{ratio(upstream, ours, 'total_per_node'):.1f}x"),
        ("primitive chain: microseconds per node (ours, 0.1.0)",
         f"{median(ours, 'total_per_node') * 1e6:.2f}, "
         f"{median(upstream, 'total_per_node') * 1e6:.2f}"),
        ("primitive chain: bytes per node (ours, 0.1.0; target <= 250)",
         f"{median(ours, 'bytes_per_node'):.0f}, {median(upstream, 'bytes_per_node'):.0f}"),
    ]

    deep = run("workloads.py", "deep")
    deep_upstream = run("workloads.py", "deep", 10_000, upstream=True)
    rows += [
        ("1,000,000-deep chain, default recursion limit (ours)",
         f"forward {deep['forward']:.2f} s, backward {deep['backward']:.2f} s, "
         f"peak {deep['peak_bytes'] / 2**20:.0f} MiB, "
         f"{'gradient right' if deep['grad_ok'] else 'FAILED'}"),
        ("10,000-deep chain, default recursion limit (0.1.0)",
         deep_upstream["error"] or "completed"),
    ]

    ours, floor, upstream = rounds(("workloads.py", ["inference"], False),
                                   ("floor.py", ["floor-inference"], False),
                                   ("workloads.py", ["inference"], True))
    check_same([ours, floor, upstream], "first", "inference")
    rows += [
        ("no_grad inference: ours / plain floats", f"{ratio(ours, floor, 'seconds'):.2f}x"),
        ("inference: 0.1.0 (records the graph) / ours",
         f"{ratio(upstream, ours, 'seconds'):.1f}x"),
    ]

    width = max(len(name) for name, _ in rows)
    table = "\n".join(f"| {name:<{width}} | {value} |" for name, value in rows)
    header = f"| {'measure':<{width}} | result |\n|{'-' * (width + 2)}|--------|"
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    report = (f"# Benchmarks\n\nMeasured {when} on {machine()}; "
              f"medians of {ROUNDS} rounds, each in fresh processes.\n\n"
              f"{header}\n{table}\n")
    print(report)
    (HERE / "results.md").write_text(report)


if __name__ == "__main__":
    main()
