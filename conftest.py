"""pytest's doctests of the package's modules: where the compiled engine runs, Python
imports the compiled modules (`engine`, `ops`, ...) from their extensions, not from the
`.py` files pytest would collect, so their doctests run in the pure-Python pass (`make
test` runs both). `_collector.py` runs compiled only."""

import micrograd
from micrograd._select import COMPILED_MODULES

collect_ignore = ["micrograd/_collector.py"]
if micrograd.COMPILED:
    collect_ignore += [f"micrograd/{name}.py" for name in COMPILED_MODULES]
