"""`make mutate`: mutation testing of the engine with mutmut 3, hang-proof, with a sample mode.

    python tests/mutate.py [--mutants N [--seed S]] [--jobs J] [--keep]

is what `make mutate [MUTANTS=N [SEED=S]] [MUTATE_JOBS=J] [MUTATE_KEEP=1]` runs.

Which files: those that `[tool.mutmut] only_mutate` in pyproject.toml selects, as mutmut
itself reads it; this script names none. mutmut runs the tests on the pure-Python engine
(MICROGRAD_PURE=1: a compiled one would run the unmutated code), and CI=true loads the tests'
derandomized hypothesis profile (tests/conftest.py), so a run is repeatable.

- Without --mutants: `mutmut run` on every mutant, then the score of each file.
- With --mutants N: a simple random sample of N of the mutants of all those files together
  (uniform over mutants, not stratified by file), drawn by `random.Random(S)` from their
  sorted names, so a seed picks the same mutants of the same sources. mutmut runs them by
  name, and the last line printed is `mutation score: K/N killed`.
- --keep reuses mutants/ and mutmut's cached verdicts: a sampled mutant with a verdict is
  not run again. Without it, each run starts afresh.

Counting: K is the mutants mutmut calls "killed" or "timeout" (a mutant that does not finish
within its limit is caught, as a test failure would be). Every other verdict counts against
the score: "survived", "no tests" (none of the selected tests calls the mutated function),
"suspicious", "segfault", "skipped", "not checked" (an interrupted run) and the rest. So the
denominator is every mutant: of the file, or of the sample.

Why hang-proof: some mutants never finish (in `_backward_order`, `mark = None` pushes and
pops the same node for ever; a loop like it may also grow a list without bound). mutmut ends
a mutant's run after (its tests' time + timeout_constant) * timeout_multiplier seconds (a
SIGXCPU from its main process) or twice that in CPU time (RLIMIT_CPU), its tests' time being
what they took in its first, instrumented run. Its defaults (15 and 1 s) gave 26 minutes to a
mutant of a function that nearly every test calls. So [tool.mutmut] sets both (3 and 10 s,
from measured times: see there), and `limit_mutant_run()` below, which tests/conftest.py
calls in every pytest run that mutmut starts, enforces that limit inside a mutant's process
as well, and a cap on its memory: it ends the process with exit code 36, mutmut's "timeout",
should mutmut's signal be lost (a handler or SIG_IGN for SIGXCPU) or the memory run away
first. A `make test` (no MUTANT_UNDER_TEST in the environment) is not touched.
"""

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# mutmut's exit code for "timeout" (mutmut.stats.status_by_exit_code)
TIMEOUT_EXIT = 36
# what a mutant's run may add to its process's memory (resident): a whole un-mutated run of
# the selected tests peaks at 0.6 GiB, torch included; past the cap it is a runaway.
MEMORY_CAP = 2 * 2**30
# the address space the kernel allows beyond that (RLIMIT_AS): a MemoryError, where the
# watchdog cannot run (a single C call that keeps allocating)
ADDRESS_SPACE_MARGIN = 4 * 2**30
POLL_S = 0.2  # how often the watchdog looks at the clock and the memory


# -- in the process mutmut forks for a mutant (called from tests/conftest.py) -------------

def limit_mutant_run():
    """Bound this pytest run if mutmut started it for a mutant (MUTANT_UNDER_TEST names one):
    a watchdog thread ends the process with exit code 36, mutmut's "timeout", at mutmut's
    time limit for the mutant or once its memory has grown by MEMORY_CAP. Where that thread
    cannot run (a C call that never lets go of the interpreter), the kernel ends it: SIGXCPU
    at twice the limit in CPU time (as mutmut's own RLIMIT_CPU; also "timeout"), and a
    MemoryError past RLIMIT_AS. For mutmut's other runs (stats, clean, forced fail) it only
    checks that the tests import the engine of mutants/."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in mutant:
        _check_engine_under_test()
        return
    limit = _time_limit(mutant)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # (the default: it ends the process)
    cpu = int(time.process_time() + 2 * limit) + 1
    _lower_rlimit(resource.RLIMIT_CPU, cpu, cpu + 5)
    address_space = _memory("VmSize") + MEMORY_CAP + ADDRESS_SPACE_MARGIN
    _lower_rlimit(resource.RLIMIT_AS, address_space, address_space)
    threading.Thread(target=_watchdog, name="mutant-watchdog", daemon=True,
                     args=(time.monotonic() + limit, _memory("VmRSS") + MEMORY_CAP)).start()


def _lower_rlimit(which, soft, hard):
    """Lower a resource limit to `soft` and `hard` where it is higher."""
    old_soft, old_hard = resource.getrlimit(which)
    lower = lambda new, old: new if old == resource.RLIM_INFINITY else min(new, old)
    hard = lower(hard, old_hard)
    resource.setrlimit(which, (min(lower(soft, old_soft), hard), hard))


def _time_limit(mutant):
    """mutmut's wall-clock limit for `mutant`, in seconds: (the time its tests took in the
    stats run + timeout_constant) * timeout_multiplier, as mutmut's `run` computes it."""
    from mutmut.configuration import config
    from mutmut.state import state
    from mutmut.utils.format_utils import mangled_name_from_mutant_name
    durations = state().duration_by_test
    tests = state().tests_by_mangled_function_name.get(mangled_name_from_mutant_name(mutant))
    # (mutmut runs no mutant without tests; should its stats be missing here, the time of
    # every test keeps the limit from killing a slow survivor)
    estimate = sum(durations.get(t, 0.0) for t in tests) if tests else sum(durations.values())
    return (estimate + config().timeout_constant) * config().timeout_multiplier


def _watchdog(deadline, memory_cap):
    while time.monotonic() < deadline and _memory("VmRSS") < memory_cap:
        time.sleep(POLL_S)
    os._exit(TIMEOUT_EXIT)


def _memory(field):
    """A size from /proc/self/status (VmRSS, VmSize), in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def _check_engine_under_test():
    """mutmut runs pytest in mutants/: the engine the tests import must be the one there
    (the pure one), not an installed copy (an editable install points at the checkout)."""
    import micrograd
    here = Path.cwd().resolve()
    where = Path(micrograd.__file__).resolve()
    if here not in where.parents or micrograd.COMPILED:
        import pytest
        message = (f"mutation testing: the tests import {where}"
                   f"{' (compiled)' if micrograd.COMPILED else ''}, not the pure engine "
                   f"under {here}")
        print(message, file=sys.__stderr__)
        pytest.exit(message, returncode=3)


# -- the runner -----------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, metavar="N",
                        help="run a random sample of N mutants (default: all of them)")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="the sample's seed (default 0)")
    parser.add_argument("--jobs", type=int, default=2, help="mutmut's workers (default 2)")
    parser.add_argument("--keep", action="store_true",
                        help="reuse mutants/ and mutmut's cached verdicts")
    args = parser.parse_args(argv)
    if args.mutants is not None and args.mutants < 1:
        parser.error("MUTANTS must be at least 1")
    if args.seed is not None and args.mutants is None:
        parser.error("SEED chooses a sample: give MUTANTS too")

    os.chdir(ROOT)  # mutmut works in the project's root, on mutants/
    os.environ.update(CI="true", MICROGRAD_PURE="1")
    if not args.keep:
        shutil.rmtree("mutants", ignore_errors=True)

    if args.mutants is None:
        _mutmut_run([], args.jobs)
        _print_scores_per_file()
        return 0

    everything = _generate_mutants(args.jobs)
    if args.mutants > len(everything):
        print(f"MUTANTS={args.mutants}: there are only {len(everything)} mutants",
              file=sys.stderr)
        return 2
    seed = 0 if args.seed is None else args.seed
    sample = random.Random(seed).sample(sorted(everything), args.mutants)
    todo = [name for name in sample if everything[name] is None]
    print(f"a sample of {len(sample)} of the {len(everything)} mutants (seed {seed}); "
          f"{len(sample) - len(todo)} with a cached verdict")
    if todo:
        _mutmut_run(todo, args.jobs)
    verdicts = _verdicts()
    statuses = {name: _status(verdicts[name]) for name in sample}
    for name in sorted(name for name, status in statuses.items() if not _killed(status)):
        print(f"    {name}: {statuses[name]}")
    killed = sum(_killed(status) for status in statuses.values())
    print(f"mutation score: {killed}/{len(sample)} killed")
    return 0


def _mutmut_run(names, jobs):
    """`mutmut run` (on every mutant, or on those named): it exits at once if the un-mutated
    tests fail, and so does this."""
    mutmut = Path(sys.executable).with_name("mutmut")  # the one of this virtualenv
    done = subprocess.run([str(mutmut), "run", "--max-children", str(jobs), *names])
    if done.returncode:
        sys.exit(done.returncode)


def _generate_mutants(jobs):
    """Write mutants/ as `mutmut run` does first (it keeps files that are up to date), and
    return {mutant name: exit code or None} of every mutant of the files to mutate."""
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants
    with contextlib.redirect_stdout(io.StringIO()):  # (it lists every file it copies)
        copy_src_dir()
        copy_also_copy_files()
        create_mutants(jobs)
    return _verdicts()


def _mutated_files():
    """The source files that [tool.mutmut] selects for mutation, sorted."""
    from mutmut.utils.file_utils import walk_mutatable_files
    return sorted(str(path) for path in walk_mutatable_files())


def _verdicts(path=None):
    """{mutant name: mutmut's exit code (None: not run)} from mutants/*.meta: of one file,
    or of every file to mutate."""
    verdicts = {}
    for each in [path] if path else _mutated_files():
        meta = Path("mutants") / f"{each}.meta"
        if not meta.is_file():  # (mutmut takes a copy newer than its source as mutated)
            sys.exit(f"{meta} is missing: mutants/ was made for other files to mutate; "
                     "run again without MUTATE_KEEP")
        with open(meta) as f:
            verdicts.update(json.load(f)["exit_code_by_key"])
    return verdicts


def _status(exit_code):
    from mutmut.stats import status_by_exit_code
    return status_by_exit_code[exit_code]


def _killed(status):
    return status in ("killed", "timeout")


def _print_scores_per_file():
    print("mutation score per file (killed, a timeout counts as killed, of all mutants; "
          "target 90%):")
    for path in _mutated_files():
        counts = {}
        for exit_code in _verdicts(path).values():
            status = _status(exit_code)
            counts[status] = counts.get(status, 0) + 1
        total = sum(counts.values())
        killed = counts.get("killed", 0) + counts.get("timeout", 0)
        rest = "".join(f", {status} {n}" for status, n in sorted(counts.items())
                       if status != "killed")
        below = " BELOW TARGET" if killed < 0.9 * total else ""
        print(f"  {path}: {killed}/{total} killed ({100 * killed / max(total, 1):.1f}%)"
              f"{rest}{below}")
    print("the others: .venv/bin/mutmut results; one of them: .venv/bin/mutmut show NAME")


if __name__ == "__main__":
    sys.exit(main())
