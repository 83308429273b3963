# The C types the compiled engine adds to gradients.py (see engine.pxd): grad()'s chain
# rule reads the nodes' fields from their C struct and adds in C doubles.
# (`_depth_first` leaves the nodes it pops untyped: Cython 3.3 does not check a typed
# variable assigned from `list.pop()` for None, and its roots come from users.)
cimport cython

from micrograd.engine cimport Value, _inputs, _partials

cdef bint _COMPILED

@cython.locals(node=Value, inputs=object, child=object, d=object, g=object, key=object)
cpdef dict _gradients(list order, dict grads, bint create_graph)

@cython.locals(x=cython.double, y=cython.double, z=cython.double)
cdef _plus_product(object total, object d, object g)

cpdef bint _flows_through(object node)

@cython.locals(state=dict, order=list, stack=list, child=Value)
cpdef list _depth_first(object roots, bint everything)
