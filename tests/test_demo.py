"""The demo: `make demo` / `python -m micrograd demo` trains to 100% and draws it."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from micrograd.demo import train

from conftest import require_module, require_program

PNG = b"\x89PNG\r\n\x1a\n"


def test_default_settings_reach_full_training_accuracy():
    model, X, y, history = train()
    assert len(X) == len(y) == 100 and len(history) == 100
    assert history[-1][1] == 1.0
    assert history[-1][0] < history[0][0] / 10
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(2)")


def test_reproducible_with_a_seed_and_different_without():
    first = train(steps=5, seed=3)[3]
    assert train(steps=5, seed=3)[3] == first
    assert train(steps=5, seed=4)[3] != first


@pytest.mark.parametrize("dataset", ["circles", "xor"])
def test_other_datasets_learn(dataset):
    history = train(steps=60, dataset=dataset)[3]
    assert history[-1][1] >= 0.95


def test_bad_arguments():
    with pytest.raises(ValueError, match="dataset must be one of"):
        train(dataset="spirals")
    with pytest.raises(ValueError, match="steps must be at least 1"):
        train(steps=0)


def test_command_line_writes_the_pictures(tmp_path):
    require_module("matplotlib")
    require_module("tqdm")
    require_program("dot")
    done = subprocess.run([sys.executable, "-m", "micrograd", "demo", "--steps", "3",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "step 3 of 3: loss" in done.stdout
    assert "training" in done.stderr  # tqdm's bar
    for name in ("boundary.png", "curves.png"):
        assert (tmp_path / "out" / name).read_bytes()[:8] == PNG
    svg = ET.parse(tmp_path / "out" / "neuron.svg").getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"out", "x0", "layers.0.neurons.0.b", "ReLU(w·x+b)"} <= texts
