# The C types the compiled engine adds to ops.py (see engine.pxd): a rule's fields are
# read straight from a C struct by the engine's hot paths.

cdef class Op:
    cdef public object name
    cdef public object forward
    cdef public object partials
    cdef public object variadic


cdef class PowConst(Op):
    cdef public double exponent
    cdef public double low
    cdef public double high

    cpdef double local(self, double x, double out)


cpdef PowConst pow_const(object exponent)
