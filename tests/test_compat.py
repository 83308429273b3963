"""micrograd 0.1.0 code runs unchanged and gives the same numbers.

The oracle is micrograd 0.1.0 itself, installed from PyPI into .venv/upstream by
`make test` (it shares our package name, so it runs in its own process).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import missing_oracle

HERE = Path(__file__).parent
UPSTREAM = Path(os.environ.get("MICROGRAD_UPSTREAM", HERE.parent / ".venv" / "upstream"))


def run_script(pythonpath):
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    done = subprocess.run([sys.executable, str(HERE / "compat_script.py")], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def upstream():
    if not (UPSTREAM / "micrograd" / "engine.py").exists():
        missing_oracle("micrograd 0.1.0 (in .venv/upstream)")
    return run_script(UPSTREAM)


@pytest.fixture(scope="module")
def ours():
    return run_script(HERE.parent)


def test_upstream_really_is_upstream(upstream):
    # micrograd 0.1.0's own figures; its Value repr shows data and grad
    assert [round(x, 4) for x in upstream["readme"]] == [24.7041, 138.8338, 645.5773]
    assert upstream["repr_value"] == "Value(data=2.0, grad=0)"


def test_readme_figures_match(upstream, ours):
    assert ours["readme"] == pytest.approx(upstream["readme"], rel=1e-13)


def test_reprs_and_parameter_count_match(upstream, ours):
    for key in ("repr_model", "repr_layer", "repr_neuron", "parameters", "module"):
        assert ours[key] == upstream[key], key
    assert ours["parameters"] == 337


def test_demo_training_steps_match(upstream, ours):
    # same seed -> same initial weights; same losses, accuracies and every gradient
    assert len(ours["history"]) == len(upstream["history"]) == 3
    for mine, theirs in zip(ours["history"], upstream["history"]):
        assert mine["loss"] == pytest.approx(theirs["loss"], rel=1e-12)
        assert mine["accuracy"] == theirs["accuracy"]
        assert mine["grads"] == pytest.approx(theirs["grads"], rel=1e-9, abs=1e-15)
    assert ours["final"] == pytest.approx(upstream["final"], rel=1e-9, abs=1e-15)


def test_operations_written_the_0_1_0_way_match(upstream, ours):
    # exp and tanh as closures (the lecture's neuron), fan-out through them, a subclass's cube
    assert ours["custom"] == pytest.approx(upstream["custom"], rel=1e-13)
    assert upstream["custom"][-1] == 12.0  # d(c**3)/dc at 2
    assert upstream["custom"][1:3] == pytest.approx([-1.5, 1.0], rel=1e-6)  # the lecture's


def test_a_subclass_with_its_own_add_and_mul_gets_its_class_from_every_operator(upstream, ours):
    assert ours["subclass"]["types"] == upstream["subclass"]["types"]
    assert upstream["subclass"]["types"][1:4] == ["Closures"] * 3
    assert ours["subclass"]["data"] == pytest.approx(upstream["subclass"]["data"], rel=1e-14)
    assert ours["subclass"]["grads"] == pytest.approx(upstream["subclass"]["grads"], rel=1e-14)
