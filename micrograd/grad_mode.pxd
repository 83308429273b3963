# The C types the compiled engine adds to grad_mode.py (see engine.pxd): the engine asks
# `is_grad_enabled()` on every operation, as a C call.

cpdef bint is_grad_enabled()
