"""docs/how-it-works.md, the reading path, says where each part of the engine lives: the
files it names exist, every module cut from the engine is on it, and the private names it
points a reader to are defined where it says."""

import re
from pathlib import Path

from micrograd._select import COMPILED_MODULES

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "how-it-works.md").read_text()
PACKAGE = ROOT / "micrograd"
BESIDE_THE_REFERENCE = {*COMPILED_MODULES, "checks", "pickling", "graph", "_select",
                        "_no_cython"}


def test_every_module_cut_from_the_engine_is_on_the_reading_path():
    named = set(re.findall(r"`([a-z_]+)\.py`", PAGE))
    assert BESIDE_THE_REFERENCE <= named, BESIDE_THE_REFERENCE - named
    for name in named:
        assert (PACKAGE / f"{name}.py").is_file() or (ROOT / f"{name}.py").is_file(), name


def test_the_private_names_it_points_to_are_defined_in_the_package():
    from micrograd import Value
    sources = "\n".join(path.read_text() for path in PACKAGE.glob("*.py"))
    fields = set(Value.__slots__) if hasattr(Value, '__slots__') else set(dir(Value))
    names = {token.split(".")[-1] for token in re.findall(r"`([A-Za-z_][\w.]*)(?:\(\w*\))?`", PAGE)}
    private = {name for name in names if name.startswith("_") and not name.startswith("__")}
    assert len(private) > 15
    for name in private - fields:
        assert re.search(rf"^\s*(def|class) {name}\b|^\s*{name} = ", sources, re.M), name


def test_the_upstream_lines_it_cites_are_micrograd_0_1_0_s():
    """Line numbers of micrograd 0.1.0's engine.py (94 lines) and nn.py (60 lines)."""
    cited = [int(n) for n in re.findall(r"lines? (\d+)", PAGE)]
    assert cited and max(cited) <= 94
