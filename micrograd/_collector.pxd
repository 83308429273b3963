# The C types of _collector.py (compiled engine only: see its docstring). It knows no C
# type of the engine's (engine.pxd cimports this file, so this one cannot cimport that):
# the engine hands `settle` the fields it needs, and the walks read them by name.
cimport cython

cdef bint _cycles_possible
cdef object _VALUE

cdef extern from "Python.h":
    void PyObject_GC_Track(object)
    void PyObject_GC_UnTrack(object)
    bint PyObject_GC_IsTracked(object)
    bint PyObject_IS_GC(object)
    int PyObject_GenericSetAttr(object, object, object) except -1

cdef _value_class()

@cython.locals(inputs=tuple, child=object)
cdef settle(object node, object a, object b)

cdef settle_made(object node, object a, object b, object label, object op)

cdef set_field(object node, object name, object value)

@cython.locals(stack=list, node=object, inputs=object, child=object)
cpdef track_below(object root)

cpdef adopt(object node, object value)

@cython.locals(stack=list, inner=object)
cdef _bring_into_sight(object item)

@cython.locals(holder=object, item=object)
cdef _stop_untracking()
