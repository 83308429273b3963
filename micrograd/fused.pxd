# The C types the compiled engine adds to fused.py (see engine.pxd): a neuron's weighted
# sum in C doubles, its tuples filled in place, its node made by the engine's C function.
cimport cython

from micrograd.engine cimport Value, _table_node
from micrograd.grad_mode cimport is_grad_enabled

cdef bint _COMPILED

cdef extern from "Python.h":
    tuple PyTuple_New(Py_ssize_t)
    void PyTuple_SET_ITEM(object, Py_ssize_t, object)
    void Py_INCREF(object)

@cython.locals(total=cython.double, x=cython.double, y=cython.double, i=Py_ssize_t,
               a=object, b=object)
cdef _dot(list xs, object ys, object start)

cdef bint _list_or_tuple(object items)

@cython.locals(n=Py_ssize_t, m=Py_ssize_t, i=Py_ssize_t, out=tuple, item=object)
cdef tuple _joined(object xs, object ys, object last)

@cython.locals(w=Value)
cpdef _weighted_sum(object weights, object inputs, object bias, object input_data, bint relu=*)
