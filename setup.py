"""Builds the compiled engine where it can: the same `engine.py`, `ops.py` and the other
modules of `_select.COMPILED_MODULES`, compiled by Cython with the C types their `.pxd`
files add. Without Cython or a C compiler the build
goes on without it, and the package runs as pure Python (`micrograd.COMPILED` is False).
Everything else about the package is in pyproject.toml.

Beside the extensions the build writes `_compiled_from.json`, the hashes of the sources
they were compiled from, so that an extension older than its source is never used
(`micrograd/_select.py`).
"""

import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "micrograd"))
from _select import COMPILED_MODULES, RECORD, source_hashes  # noqa: E402

del sys.path[0]


class optional_build_ext(build_ext):
    """build_ext that warns, instead of failing, where an extension cannot be compiled."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # no compiler, or one that fails (several kinds of error)
            print(f"micrograd: the compiled engine was not built ({error}); "
                  "the pure-Python engine will be used", file=sys.stderr)
            return
        self._record()

    def _record(self):
        folder = Path(self.build_lib if not self.inplace else HERE) / "micrograd"
        if folder.is_dir():
            hashes = source_hashes(HERE / "micrograd")
            (folder / RECORD).write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")


def extensions():
    """The compiled modules, or none where Cython is missing or MICROGRAD_PURE=1 is set."""
    if os.environ.get("MICROGRAD_PURE") == "1":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("micrograd: Cython is missing, so the compiled engine was not built",
              file=sys.stderr)
        return []
    from setuptools import Extension
    # no contraction of a * b + c into one fused multiply-add: the compiled engine rounds
    # each operation as Python does, so that its numbers are the pure engine's to the bit
    flags = [] if sys.platform == "win32" else [
        "-ffp-contract=off", "-g0", "-Wno-unused-variable", "-Wno-unused-function"]
    modules = [Extension(f"micrograd.{name}", [f"micrograd/{name}.py"],
                         extra_compile_args=flags) for name in COMPILED_MODULES]
    return cythonize(modules, language_level=3, quiet=True,
                     compiler_directives={"binding": True, "embedsignature": True,
                                          # a field set by hand to None is an error, not a crash
                                          "nonecheck": True})


setup(ext_modules=extensions(), cmdclass={"build_ext": optional_build_ext})
