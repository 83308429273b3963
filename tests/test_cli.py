"""The command line: python -m micrograd demo | graph."""

import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from micrograd import viz
from micrograd.__main__ import main
from micrograd.parse import ExpressionError, build

from conftest import require_program


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "micrograd", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_example_prints_the_worked_example():
    done = run("example")
    assert done.returncode == 0
    assert "dy/dx1 =  -1.5000" in done.stdout
    assert "g = 24.7041, dg/da = 138.8338, dg/db = 645.5773" in done.stdout


def test_graph_writes_svg_and_prints_gradients(tmp_path):
    require_program("dot")
    out = tmp_path / "graph.svg"
    done = run("graph", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "-o", str(out), "--explain")
    assert done.returncode == 0, done.stderr
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"a", "b", "c", "a*b", "tanh"} <= set(texts)
    lines = done.stdout.splitlines()
    slope = 1 - math.tanh(4.0) ** 2
    assert lines[0] == f"tanh(a*b + c) = {math.tanh(4.0):.6g}"
    assert lines[1:4] == [f"  d/da = {-3 * slope:.6g}", f"  d/db = {2 * slope:.6g}",
                          f"  d/dc = {slope:.6g}"]
    assert any(line.split()[:3] == ["1", "tanh(a*b+c)", "tanh"] for line in lines)  # table
    assert lines[-1] == f"wrote {out}"


@pytest.mark.parametrize("suffix", ["png", "pdf", "dot"])
def test_graph_other_formats(tmp_path, suffix):
    require_program("dot")
    out = tmp_path / f"g.{suffix}"
    assert run("graph", "x.relu() ** 2", "x=1.5", "-o", str(out)).returncode == 0
    assert out.stat().st_size > 0


@pytest.mark.parametrize("expr, message", [
    ("__import__('os')", "unknown function '__import__'"),
    ("__import__('os').system('touch pwned')", "unknown function 'system'"),
    ("open('x')", "unknown function 'open'"),
    ("a.__class__", "Attribute is not allowed"),
    ("a.__class__()", "unknown function '__class__'"),
    ("(lambda: 1)()", "only the engine's functions can be called"),
    ("[a, b]", "List is not allowed"),
    ("a if b else 1", "IfExp is not allowed"),
    ("a * q", "unknown name 'q' (variables: a, b) at column 5"),
    ("a * (b +", "syntax error"),
    ("'s' * a", "'s' is not a number at column 1"),
    ("tanh(a, b)", "tanh() takes exactly one argument"),
    ("exp(x=a)", "exp() takes exactly one argument"),
    ("a // b", "BinOp is not allowed"),
    ("log(a - 1)", "log() is defined for positive numbers only, got 0.0"),
    ("a / (b - 2)", "division by zero"),
])
def test_graph_rejects_bad_expressions_in_one_line(tmp_path, expr, message):
    out = tmp_path / "g.svg"
    done = run("graph", expr, "a=1", "b=2", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert done.stderr.startswith("micrograd graph: ")
    assert not out.exists() and not (tmp_path / "pwned").exists()


def test_bad_assignment_is_a_usage_error():
    done = run("graph", "a", "a=x")
    assert done.returncode == 2 and "expected name=number" in done.stderr


def test_build_labels_and_shares_variables():
    root, leaves = build("a*a + sin(a)", {"a": 0.5})
    assert root.label == "a*a+sin(a)" and leaves["a"].label == "a"
    assert build("a*a + sin(a) + cos(a)", {"a": 0.5})[0].label == "out"  # over 16 characters
    root.backward()
    assert leaves["a"].grad == pytest.approx(2 * 0.5 + math.cos(0.5))
    with pytest.raises(ExpressionError) as info:
        build("  a + zz", {"a": 1})
    assert info.value.column == 7
    with pytest.raises(ExpressionError, match="cannot be a variable name"):
        build("tanh", {"tanh": 1})


@pytest.mark.parametrize("terms", [1000, 10_000])
def test_graph_of_a_long_sum(tmp_path, capsys, terms):
    expr, out = "+".join(["a"] * terms), tmp_path / "g.dot"
    code = main(["graph", expr, "a=1.5", "-o", str(out)])
    printed = capsys.readouterr()
    assert printed.out.splitlines()[:2] == [f"{expr} = {1.5 * terms:.6g}", f"  d/da = {terms:.6g}"]
    if terms <= viz.MAX_NODES:
        assert code == 0 and out.exists()
    else:  # the numbers are printed; the picture is refused as too large for dot
        assert code == 1 and "max_nodes" in printed.err and not out.exists()


def test_graph_reads_names_as_python_does(tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", "𝐱*2", "𝐱=3", "-o", str(out)]) == 0  # MATHEMATICAL BOLD SMALL X
    assert capsys.readouterr().out.splitlines()[:2] == ["𝐱*2 = 6", "  d/d𝐱 = 2"]
    assert "{ x | data 3.0000 | grad 2.0000 }" in out.read_text()  # labelled as Python reads it


def test_graph_refuses_a_name_given_twice_in_any_spelling(tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", "x + a", "𝐱=1", "x=2", "a=1", "a=2", "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        "micrograd graph: a, x (as 𝐱, x) given more than once: x + a\n")
    assert not out.exists()


@pytest.mark.parametrize("function, number", [("sin", "inf"), ("cos", "-inf")])
def test_graph_sin_of_inf_names_the_function_and_the_value(tmp_path, capsys, function, number):
    out = tmp_path / "g.dot"
    assert main(["graph", f"{function}(x)", f"x={number}", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("micrograd graph: ") and err.count("\n") == 1
    message = err.removeprefix("micrograd graph: ").rpartition(f": {function}(x)")[0]
    assert function in message and number in message, message  # not 'math domain error'
