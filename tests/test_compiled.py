"""The compiled engine and the pure one: which runs, and that they agree to the bit.

The compiled engine is `engine.py`, `ops.py` and the other modules of
`_select.COMPILED_MODULES` themselves, compiled by Cython (setup.py);
`micrograd/_select.py` picks it where it was built from the sources beside it. In CI it
must be there: a missing compiled engine fails these tests rather than skipping them.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import micrograd

from conftest import IN_CI, missing_oracle

ROOT = Path(__file__).resolve().parent.parent
PURE = os.environ.get("MICROGRAD_PURE") == "1"


def run(*args, pure=False, cwd=ROOT, path=ROOT):
    """`python args...` with the package from `path`; the finished process."""
    env = dict(os.environ, PYTHONPATH=str(path))
    env.pop("MICROGRAD_PURE", None)
    if pure:
        env["MICROGRAD_PURE"] = "1"
    return subprocess.run([sys.executable, *map(str, args)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def compiled_built():
    """Whether the compiled engine is built here (else skip, or fail in CI)."""
    probe = run("-c", "import micrograd; print(micrograd.COMPILED)")
    if probe.stdout.strip() != "True":
        missing_oracle(f"the compiled engine (built by `pip install .` or `make` with a C "
                       f"compiler) {probe.stderr.strip()}")


def test_the_engine_in_use_is_the_one_asked_for():
    engine = micrograd.engine
    if PURE:
        assert micrograd.COMPILED is False
        assert engine.__file__.endswith("engine.py") and micrograd.ops.__file__.endswith("ops.py")
    else:
        if not micrograd.COMPILED:
            compiled_built()
        assert micrograd.COMPILED is True
        assert not engine.__file__.endswith(".py") and not micrograd.ops.__file__.endswith(".py")
    # and all of its modules come the same way: all compiled, or all pure
    import sys

    from micrograd._select import COMPILED_MODULES
    for name in COMPILED_MODULES:
        module = sys.modules.get(f"micrograd.{name}")
        if module is not None:
            assert module.__file__.endswith(".py") == (not micrograd.COMPILED), name
    # every module of the package uses that same engine
    from micrograd import nn, viz
    assert nn.Value is engine.Value is viz.Value is micrograd.Value


def test_in_ci_the_compiled_engine_is_built():
    if not IN_CI:
        pytest.skip("checked in CI only, where a C compiler is present")
    compiled_built()


def test_the_documented_differences_of_the_compiled_engine():
    """What an extension type cannot do as the pure engine does (the README lists them)."""
    from micrograd import Value
    a, b = Value(1.0), Value(2.0)
    c = a * b
    del c.grad
    if micrograd.COMPILED:
        assert c.grad is None
    else:
        assert not hasattr(c, 'grad')


def test_prev_set_by_hand_is_a_tuple_of_values_in_both_engines():
    from micrograd import Value
    a, b = Value(1.0), Value(2.0)
    c = a * b
    c._prev = [b, a]  # any sequence of Values (micrograd 0.1.0's is a set)
    assert type(c._prev) is tuple and c._prev[0] is b and c._prev[1] is a
    assert c._local == (2.0, 1.0)  # the derivatives stay: only the inputs changed
    c.backward()
    assert (a.grad, b.grad) == (1.0, 2.0)
    with pytest.raises(TypeError, match="_prev must be Values, got float"):
        c._prev = (a, 3.0)
    assert c._prev[0] is b and c._prev[1] is a  # unchanged by the mistake


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_and_pure_agree_to_the_bit(seed):
    """Data, gradients, types and error messages of a random workload (every op, extremes,
    create_graph, networks, numbers set by hand, a hand-written op, pickle), line by line."""
    compiled_built()
    script = ROOT / "tests" / "twin_script.py"
    compiled, pure = run(script, seed), run(script, seed, pure=True)
    assert compiled.returncode == 0 and pure.returncode == 0, compiled.stderr + pure.stderr
    assert "compiled True" in compiled.stderr and "compiled False" in pure.stderr
    lines, expected = compiled.stdout.splitlines(), pure.stdout.splitlines()
    assert len(lines) == len(expected) > 50
    for line, want in zip(lines, expected):
        assert line == want


def test_private_fields_set_to_odd_values_are_python_errors_never_a_crash():
    """`v._a = (None,)` and the like, then backward, grad, pickle, pictures...: each case
    ends in a result or a Python exception in both engines (a segfault would end the
    process). The compiled engine may name a wrong type where the pure one finds a
    missing attribute: its fields are typed."""
    compiled_built()
    script = ROOT / "tests" / "odd_fields_script.py"
    compiled, pure = run(script), run(script, pure=True)
    assert compiled.returncode == 0 and pure.returncode == 0, compiled.stderr + pure.stderr
    assert "compiled True" in compiled.stderr and "compiled False" in pure.stderr
    lines, expected = compiled.stdout.splitlines(), pure.stdout.splitlines()
    assert len(lines) == len(expected) > 6000
    for line, want in zip(lines, expected):
        case, outcome = line.rsplit(': ', 1)
        want_case, want_outcome = want.rsplit(': ', 1)
        assert case == want_case
        assert outcome == want_outcome or {outcome, want_outcome} == {'TypeError',
                                                                      'AttributeError'}, line
    assert sum(line.endswith(': ok') for line in lines) > 1000  # most still work


def copy_package(to, with_builds):
    """The package's sources (and, with `with_builds`, its compiled modules) in `to`."""
    target = to / "micrograd"
    shutil.copytree(ROOT / "micrograd", target,
                    ignore=shutil.ignore_patterns("__pycache__", *(
                        () if with_builds else ("*.so", "*.pyd", "*.c", "_compiled_from.json"))))
    return target


def test_an_extension_older_than_its_source_is_not_used(tmp_path):
    compiled_built()
    target = copy_package(tmp_path, with_builds=True)
    check = ("import warnings; warnings.simplefilter('always'); import micrograd; "
             "print(micrograd.COMPILED, micrograd.engine.__file__.endswith('.py'))")
    assert run("-c", check, cwd=tmp_path, path=tmp_path).stdout.split() == ["True", "False"]
    with open(target / "engine.py", "a") as f:
        f.write("\n# an edit since the build\n")
    edited = run("-c", check, cwd=tmp_path, path=tmp_path)
    assert edited.stdout.split() == ["False", "True"]
    assert "built from other sources" in edited.stderr and "rebuild" in edited.stderr


def test_without_a_compiler_the_build_goes_on_and_pure_python_runs(tmp_path):
    """setup.py with a C compiler that cannot run: it says so, succeeds, builds nothing."""
    if not shutil.which("cython") and run("-c", "import Cython").returncode != 0:
        missing_oracle("Cython")
    copy_package(tmp_path, with_builds=False)
    shutil.copy(ROOT / "setup.py", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copy(ROOT / "README.md", tmp_path)
    env = dict(os.environ, CC="/nonexistent/cc", LDSHARED="/nonexistent/cc -shared")
    env.pop("MICROGRAD_PURE", None)
    built = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert "the compiled engine was not built" in built.stderr
    assert not list((tmp_path / "micrograd").glob("*.so"))
    assert not (tmp_path / "micrograd" / "_compiled_from.json").exists()
    done = run("-c", "import micrograd; from micrograd import Value; x = Value(2.0); "
               "(x * x).backward(); print(micrograd.COMPILED, x.grad)", cwd=tmp_path, path=tmp_path)
    assert done.stdout.split() == ["False", "4.0"], done.stderr


def test_the_build_records_the_sources_it_compiled():
    compiled_built()
    from micrograd import _select
    recorded = json.loads((ROOT / "micrograd" / _select.RECORD).read_text())
    assert set(recorded) == set(_select.SOURCES)
    assert recorded == _select.source_hashes(ROOT / "micrograd")
