"""Which engine runs: the compiled one where it was built from these very sources, else
the pure-Python one. `micrograd/__init__.py` calls `select()` before anything imports
the engine; `setup.py` uses the rest to record what it compiled.

The compiled modules are `engine.py` and `ops.py` themselves, compiled by Cython with the C
types of `engine.pxd` and `ops.pxd` (see setup.py). Python would import such an extension
in preference to the `.py` beside it, so the pure engine is loaded from the `.py` file
by name where it is wanted: where `MICROGRAD_PURE=1` is set, or where the extension was
compiled from other sources than those beside it (an edited `engine.py`: rebuild with
`pip install .`, or `make`, which does it). The two always come as a pair.
"""

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

COMPILED_MODULES = ('ops', 'engine')  # in import order: the engine imports ops
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


def _load_pure():
    """Import the compiled modules' `.py` sources, whatever extension lies beside them."""
    for name in COMPILED_MODULES:
        full = f'{__package__}.{name}'
        loader = importlib.machinery.SourceFileLoader(full, str(HERE / f'{name}.py'))
        spec = importlib.util.spec_from_file_location(full, HERE / f'{name}.py', loader=loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
        setattr(sys.modules[__package__], name, module)


def select():
    """Load the engine to use; True where it is the compiled one."""
    if os.environ.get('MICROGRAD_PURE') == '1' or not _compiled_available():
        if any(f'{__package__}.{name}' not in sys.modules for name in COMPILED_MODULES):
            _load_pure()
        return False
    return True
