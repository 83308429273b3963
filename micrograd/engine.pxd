# The C types the compiled engine adds to engine.py (Cython's "augmenting .pxd"): the
# same source, compiled where a C compiler is at hand (setup.py). Value becomes an
# extension type with its fields in a C struct, and the hot loops read them directly.
# Nothing here changes what the code does: only how fast it runs.
cimport cython

from micrograd.ops cimport Op, PowConst, pow_const


cdef class Value:
    cdef public object data
    cdef public object grad
    cdef public object label
    cdef public object _op
    cdef public object _rule
    cdef public object _mark
    cdef public object _a
    cdef public object _da
    cdef public object _b
    cdef public object _db


@cython.locals(node=Value)
cdef Value _node(object data, Op rule, object a, object da, object b=*, object db=*)

cdef Value _table_node(object data, tuple inputs, Op rule, object local)

cdef bint _in_the_node(tuple inputs, object local)

@cython.locals(a=object, b=object)
cpdef tuple _inputs(Value node)

cpdef _partials(Value node)

cdef _link(Value node, tuple inputs, object local)

cpdef Value constant(object number)

@cython.locals(total=cython.double, x=cython.double, y=cython.double, i=Py_ssize_t,
               a=object, b=object)
cdef _dot(list xs, object ys, object start)

cdef bint _list_or_tuple(object items)

@cython.locals(n=Py_ssize_t, m=Py_ssize_t, i=Py_ssize_t, out=tuple, item=object)
cdef tuple _joined(object xs, object ys, object last)

@cython.locals(w=Value)
cpdef _weighted_sum(object weights, object inputs, object bias, object input_data, bint relu=*)

@cython.locals(node=Value, mark=object, inputs=object, children=tuple, a=Value, b=Value,
               child=Value, stack=list)
cpdef list _backward_order(list roots, bint zero=*)

@cython.locals(node=Value, child=Value, stack=list)
cpdef _zero_behind(list inputs, object placed)

@cython.locals(node=Value, inputs=object, a=Value, b=Value, child=Value)
cpdef _propagate(list order)

@cython.locals(g=object, inputs=object, partials=object, k=Py_ssize_t)
cdef _compiled_step(Value node)

@cython.locals(x=object, y=cython.double, z=cython.double, w=cython.double)
cdef _add_product(Value child, object d, object g)

# the collector's bookkeeping of the compiled engine (engine.py: `_settle`)
cdef bint _COMPILED, _cycles_possible

cdef extern from "Python.h":
    void PyObject_GC_Track(object)
    void PyObject_GC_UnTrack(object)
    bint PyObject_GC_IsTracked(object)
    bint PyObject_IS_GC(object)
    int PyObject_GenericSetAttr(object, object, object) except -1
    tuple PyTuple_New(Py_ssize_t)
    void PyTuple_SET_ITEM(object, Py_ssize_t, object)
    void Py_INCREF(object)

@cython.locals(a=object, b=object, inputs=tuple, child=object)
cdef _settle(Value node)

@cython.locals(node=Value, stack=list, inputs=object, child=object)
cdef _track_below(Value root)

@cython.locals(item=object)
cdef _adopt(Value node, object value)

@cython.locals(stack=list, item=object, inner=object)
cdef _bring_into_sight(object item)

@cython.locals(holder=object, item=object)
cdef _stop_untracking()
