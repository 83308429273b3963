"""Which engine runs: the compiled one where it was built from these very sources, else
the pure-Python one. `micrograd/__init__.py` calls `select()` before anything imports
the engine; `setup.py` uses the rest to record what it compiled.

The compiled modules (`COMPILED_MODULES`) are `engine.py`, `ops.py` and the others named
there themselves, compiled by Cython with the C types of their `.pxd` files (see
setup.py). Python would import such an extension in preference to the `.py` beside it, so
where the pure engine is wanted (`MICROGRAD_PURE=1`, or extensions compiled from other
sources than those beside them: an edited `engine.py`; rebuild with `pip install .`, or
`make`, which does it) a finder put first on `sys.meta_path` gives Python the `.py` files
of those modules instead. They always come as a set: all compiled, or all pure.
"""

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

# the modules compiled where a C compiler is at hand; `_collector` only ever runs compiled
COMPILED_MODULES = ('ops', 'grad_mode', '_collector', 'engine', 'handwritten', 'gradients', 'fused')
RECORD = '_compiled_from.json'
SOURCES = tuple(f'{name}{suffix}' for name in COMPILED_MODULES for suffix in ('.py', '.pxd'))
HERE = Path(__file__).resolve().parent


def source_hashes(folder):
    """{file name: sha256} of the sources of the compiled modules found in `folder`."""
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in SOURCES if (folder / name).is_file()}


def _compiled_available():
    """Whether every compiled module is here and was built from the sources beside it."""
    for name in COMPILED_MODULES:
        spec = importlib.util.find_spec(f'{__package__}.{name}')
        if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            return False  # not built (no compiler, or a plain copy of the sources)
    try:
        recorded = json.loads((HERE / RECORD).read_text())
    except (OSError, ValueError):
        recorded = None
    here = source_hashes(HERE)
    if recorded is None or any(recorded.get(name) != h for name, h in here.items()):
        warnings.warn("micrograd: the compiled engine was built from other sources than "
                      f"those in {HERE}; using the pure-Python engine (rebuild it with "
                      "`pip install .`, or `make`)", RuntimeWarning, stacklevel=3)
        return False
    return True


class _PureSources(importlib.abc.MetaPathFinder):
    """Finds the compiled modules' `.py` sources, ahead of the extensions beside them."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition('.')
        if package != __package__ or name not in COMPILED_MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f'{name}.py')


def select():
    """Load the engine to use; True where it is the compiled one."""
    if os.environ.get('MICROGRAD_PURE') == '1' or not _compiled_available():
        if not any(isinstance(finder, _PureSources) for finder in sys.meta_path):
            sys.meta_path.insert(0, _PureSources())
        return False
    return True
