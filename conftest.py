"""pytest's doctests of the package's modules: where the compiled engine runs, Python
imports `engine` and `ops` from their extensions, not from the `.py` files pytest would
collect, so their doctests run in the pure-Python pass (`make test` runs both)."""

import micrograd

collect_ignore = [] if not micrograd.COMPILED else ["micrograd/engine.py", "micrograd/ops.py"]
