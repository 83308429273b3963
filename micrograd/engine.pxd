# The C types the compiled engine adds to engine.py (Cython's "augmenting .pxd"): the
# same source, compiled where a C compiler is at hand (setup.py). Value becomes an
# extension type with its fields in a C struct, and the hot loops read them directly.
# Nothing here changes what the code does: only how fast it runs.
cimport cython

cimport micrograd._collector as _collector
from micrograd.grad_mode cimport is_grad_enabled
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

    # (no cpdef method: its table would cost every node a pointer)


@cython.locals(node=Value)
cdef Value _node(object data, Op rule, object a, object da, object b=*, object db=*)

cpdef Value _table_node(object data, tuple inputs, Op rule, object local)

cdef bint _in_the_node(tuple inputs, object local)

@cython.locals(a=object)
cpdef tuple _inputs(Value node)

cpdef _partials(Value node)

cpdef _link(Value node, tuple inputs, object local)

cpdef Value constant(object number)

cpdef Value _lift(object x, object op, bint reflected=*)

@cython.locals(node=Value, mark=object, inputs=object, children=tuple, a=Value, b=Value,
               child=Value, stack=list)
cpdef list _backward_order(list roots)

# (Cython 3.3 checks a typed variable for None, as the directive `nonecheck` asks, except
# where it is assigned from `list.pop()`: the nodes `_zero_behind` meets come from fields
# a user may have set by hand, so they are taken by a `for` loop, not popped)
@cython.locals(node=Value, stack=list)
cpdef _zero_behind(list inputs, object placed)

@cython.locals(node=Value)
cpdef _propagate(list order)

@cython.locals(g=object, inputs=object, partials=object, k=Py_ssize_t)
cdef _chain_rule(Value node)

@cython.locals(x=object, y=cython.double, z=cython.double, w=cython.double)
cdef _add_product(Value child, object d, object g)

cdef bint _COMPILED
