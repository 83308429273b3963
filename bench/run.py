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

from workloads import DEMO_VARIANTS, chain_nodes

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UPSTREAM = Path(os.environ.get("MICROGRAD_UPSTREAM", ROOT / ".venv" / "upstream"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def environment(upstream=False, pure=False):
    """The environment of a measured process. `pure`: our engine with MICROGRAD_PURE=1
    (the pure-Python one); `upstream`: micrograd 0.1.0; else ours, compiled where built."""
    env = dict(os.environ, PYTHONPATH=str(UPSTREAM if upstream else ROOT))
    env.pop("MICROGRAD_PURE", None)
    if pure:
        env["MICROGRAD_PURE"] = "1"
    return env


def run(script, *args, upstream=False, pure=False):
    """One workload in a process of its own; its JSON result."""
    done = subprocess.run([sys.executable, str(HERE / script), *map(str, args)],
                          env=environment(upstream, pure), capture_output=True, text=True,
                          check=True, cwd=HERE)
    return json.loads(done.stdout)


def rounds(*sides, count=None):
    """Run each (script, args, options) side in turn, ROUNDS times: lists of results."""
    results = [[] for _ in sides]
    for _ in range(count or ROUNDS):
        for out, (script, args, options) in zip(results, sides):
            out.append(run(script, *args, **options))
    return results


OURS, PURE, UPSTREAM_SIDE = {}, {"pure": True}, {"upstream": True}


def speedup(baseline, ours, pure, key, digits=1):
    """baseline / ours, and in brackets baseline / ours pure."""
    return (f"{ratio(baseline, ours, key):.{digits}f}x "
            f"(pure: {ratio(baseline, pure, key):.{digits}f}x)")


def over_floor(ours, pure, floor, key="seconds", digits=2):
    """ours / floor, and in brackets ours pure / floor."""
    return f"{ratio(ours, floor, key):.{digits}f}x (pure: {ratio(pure, floor, key):.{digits}f}x)"


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


def compiled_in_use():
    """Whether 'ours' runs the compiled engine."""
    done = subprocess.run([sys.executable, "-c", "import micrograd; print(micrograd.COMPILED)"],
                          env=environment(), capture_output=True, text=True, cwd=HERE)
    return done.stdout.strip() == "True"


def user_code_rows():
    """Code users write: the lecture's own network, the primitive chain, its scaling."""
    rows = []
    ours, pure, floor = rounds(("workloads.py", ["lecture"], OURS),
                               ("workloads.py", ["lecture"], PURE),
                               ("floor.py", ["tanh"], {}))
    check_same([ours, pure, floor], "first_loss", "lecture step: ours, pure and floor")
    rows += [
        ("lecture-style tanh MLP, user's own neurons: ours / floor (target <= 5)",
         over_floor(ours, pure, floor, digits=1)),
        ("lecture-style step: seconds (ours, pure, floor)",
         f"{median(ours, 'seconds'):.4f}, {median(pure, 'seconds'):.4f}, "
         f"{median(floor, 'seconds'):.4f}"),
    ]
    for nodes in CHAIN_SIZES:
        ours, pure, upstream = rounds(("workloads.py", ["chain", nodes, 3], OURS),
                                      ("workloads.py", ["chain", nodes, 3], PURE),
                                      ("workloads.py", ["chain", nodes, 3], UPSTREAM_SIDE))
        check_same([ours, pure, upstream], "check", f"chain of {nodes}")
        real = chain_nodes(nodes)
        rows += [
            (f"primitive chain, {real:,} nodes: 0.1.0 / ours per node (target >= 20)",
             speedup(upstream, ours, pure, 'total_per_node', 1)),
            (f"primitive chain, {real:,} nodes: ns per node (ours, pure, 0.1.0)",
             f"{median(ours, 'total_per_node') * 1e9:.0f}, "
             f"{median(pure, 'total_per_node') * 1e9:.0f}, "
             f"{median(upstream, 'total_per_node') * 1e9:.0f}"),
        ]
    rows.append(("primitive chain: bytes per node (ours, pure, 0.1.0; target <= 150)",
                 f"{median(ours, 'bytes_per_node'):.0f}, {median(pure, 'bytes_per_node'):.0f}, "
                 f"{median(upstream, 'bytes_per_node'):.0f}"))
    series = scaling_series()
    small, large = 10_000, SCALING_SIZES[-1]

    def growth(name):
        return f"{series[name][large] / series[name][small]:.2f}x"

    rows.append((f"scaling: per node at {chain_nodes(large):,} nodes / at "
                 f"{chain_nodes(small):,} (ours; target <= 1.5)",
                 f"{growth('ours')} (pure: {growth('pure')}, 0.1.0: {growth('0.1.0')})"))
    return rows


CHAIN_SIZES = [40_000, 160_000]  # 50,000 and 200,000 nodes (five a link, four counted)
SCALING_SIZES = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]


def scaling_series():
    """Forward + backward per node of the primitive chain from 10^3 to 10^6 nodes, for
    ours, ours pure, 0.1.0 and the floor (the median of three processes a size; 0.1.0
    once from 300k nodes); drawn into bench/scaling.png."""
    sides = {"ours": ("workloads.py", OURS), "pure": ("workloads.py", PURE),
             "0.1.0": ("workloads.py", UPSTREAM_SIDE), "floor": ("floor.py", {})}
    series = {name: {} for name in sides}
    for nodes in SCALING_SIZES:
        for name, (script, options) in sides.items():
            args = ["scaling", nodes] if script == "workloads.py" else ["chain", nodes, 1]
            # three processes a size, for the target's two sizes too (one run of a
            # million-node graph varies by a third on this machine); 0.1.0 once from
            # 300k nodes, where one run takes it tens of seconds
            times = 1 if nodes >= 300_000 and name == "0.1.0" else 3
            results = [run(script, *args, **options) for _ in range(times)]
            series[name][nodes] = median(results, "total_per_node")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return series
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    labels = {"ours": "micrograd (compiled)", "pure": "micrograd (pure Python)",
              "0.1.0": "micrograd 0.1.0", "floor": "hand-written floats (floor)"}
    for name, points in series.items():
        xs = [chain_nodes(n) for n in points]
        ax.plot(xs, [t * 1e9 for t in points.values()], marker="o", label=labels[name])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("nodes in the graph (chain of * + relu + **-1)")
    ax.set_ylabel("forward + backward, ns per node")
    ax.set_title("Cost per node as the graph grows")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "scaling.png")
    return series


def library_rows():
    """The library's own networks: micrograd's demo step on three workloads, the tanh MLP,
    a million-deep chain and inference."""
    rows = []
    for variant in DEMO_VARIANTS:
        ours, pure, upstream, floor = rounds(("workloads.py", ["demo", variant], OURS),
                                             ("workloads.py", ["demo", variant], PURE),
                                             ("workloads.py", ["demo", variant], UPSTREAM_SIDE),
                                             ("floor.py", ["floor", variant], {}),
                                             count=min(ROUNDS, 3))
        check_same([ours, pure, upstream, floor], "first_loss", f"demo step ({variant})")
        rows += [
            (f"demo step ({variant}): 0.1.0 / ours (target >= 150)",
             speedup(upstream, ours, pure, 'seconds', 0)),
            (f"demo step ({variant}): ours / floor (target <= 2)",
             over_floor(ours, pure, floor, digits=2)),
        ]
        if variant == "demo":
            rows.append(("demo step: seconds (ours, pure, 0.1.0, floor)",
                         f"{median(ours, 'seconds'):.4f}, {median(pure, 'seconds'):.4f}, "
                         f"{median(upstream, 'seconds'):.3f}, {median(floor, 'seconds'):.4f}"))
            try:
                import torch  # noqa: F401
                (torch_eager,) = rounds(("floor.py", ["torch"], {}), count=1)
                check_same([ours, torch_eager], "first_loss", "demo step: ours and torch")
                rows.append(("demo step: PyTorch eager (0-d float64) / ours",
                             f"{median(torch_eager, 'seconds') / median(ours, 'seconds'):.1f}x"))
            except ImportError:
                rows.append(("demo step: PyTorch eager", "torch not installed"))
    ours, pure, floor = rounds(("workloads.py", ["tanh-mlp"], OURS),
                               ("workloads.py", ["tanh-mlp"], PURE), ("floor.py", ["tanh"], {}))
    check_same([ours, pure, floor], "first_loss", "tanh MLP: ours, pure and floor")
    rows.append(("nn.MLP, tanh: ours / floor (target <= 2)",
                 over_floor(ours, pure, floor, digits=2)))

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
    ours, floor, upstream = rounds(("workloads.py", ["inference"], OURS),
                                   ("floor.py", ["floor-inference"], {}),
                                   ("workloads.py", ["inference"], UPSTREAM_SIDE))
    check_same([ours, floor, upstream], "first", "inference")
    rows += [
        ("no_grad inference: ours / plain floats", f"{ratio(ours, floor, 'seconds'):.2f}x"),
        ("inference: 0.1.0 (records the graph) / ours",
         f"{ratio(upstream, ours, 'seconds'):.1f}x"),
    ]
    return rows


def table(rows):
    width = max(len(name) for name, _ in rows)
    header = f"| {'measure':<{width}} | result |\n|{'-' * (width + 2)}|--------|"
    return header + "\n" + "\n".join(f"| {name:<{width}} | {value} |" for name, value in rows)


def main():
    if not (UPSTREAM / "micrograd" / "engine.py").exists():
        sys.exit(f"bench: micrograd 0.1.0 is not installed in {UPSTREAM} (make bench does it)")
    engine = ("the compiled engine" if compiled_in_use() else
              "**the pure-Python engine: the compiled one is not built here**")
    user, library = user_code_rows(), library_rows()
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    report = (f"# Benchmarks\n\nMeasured {when} on {machine()}; 'ours' is {engine}, 'pure' "
              f"the same package with MICROGRAD_PURE=1; medians of {ROUNDS} rounds (3 for the "
              f"demo steps), each in fresh processes.\n\n## Code users write\n\n"
              f"{table(user)}\n\n![cost per node](scaling.png)\n\n"
              f"## The library's networks\n\n{table(library)}\n")
    print(report)
    (HERE / "results.md").write_text(report)


if __name__ == "__main__":
    main()
