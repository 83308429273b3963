# The C types the compiled engine adds to engine.py (Cython's "augmenting .pxd"): the
# same source, compiled where a C compiler is at hand (setup.py). Value becomes an
# extension type with its fields in a C struct, and the hot loops read them directly.
# Nothing here changes what the code does: only how fast it runs.
cimport cython

from micrograd.ops cimport Op


cdef class Value:
    cdef public object data
    cdef public object grad
    cdef public object label
    cdef public object _prev
    cdef public object _op
    cdef public object _rule
    cdef public object _local
    cdef public object _mark


@cython.locals(node=Value)
cdef Value _node(object data, tuple inputs, Op rule, object local)

@cython.locals(node=Value)
cpdef Value constant(object number)

@cython.locals(node=Value, mark=object, child=Value)
cpdef list _backward_order(list roots, bint zero=*)

@cython.locals(node=Value, child=Value)
cpdef _zero_behind(list inputs, object placed)

@cython.locals(node=Value, a=Value, b=Value, child=Value)
cpdef _propagate(list order)
