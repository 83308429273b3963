# handwritten.py is compiled with the engine where it is (see engine.pxd): a node built by
# hand, `Value(data, (x,), 'op')`, checks its inputs here.

cpdef tuple as_children(object children, object what)
