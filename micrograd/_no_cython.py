"""Stand-ins for Cython's pure-Python-mode decorators, where Cython is not installed.

The compiled modules (`_select.COMPILED_MODULES`) import `cython` to read
`cython.compiled` and to mark classes and functions for the compiler; without Cython they
run as plain Python, and these do nothing.
"""

import types


def _as_it_is(thing):
    return thing


def _directive(on):
    return _as_it_is


cython = types.SimpleNamespace(compiled=False, cclass=_as_it_is, trashcan=_directive,
                               nonecheck=_directive)
