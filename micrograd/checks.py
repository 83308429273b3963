"""What the engine takes as a number: real numbers only, stored as floats.

`Value(data)`, every operand of an operator and every derivative set by hand pass through
here, so that a string, None, a complex number or a Value inside a Value is a `TypeError`
at once, naming the type, instead of a wrong number later. Not in engine.py: the rules of
what counts as real (numpy's bool, huge ints) are not what a learner reads it for.
"""

import numbers


def _is_real(x):
    """A real number: int, float, bool, `numbers.Real` (numpy floats and ints), numpy's bool."""
    return isinstance(x, numbers.Real) or (type(x).__module__ == 'numpy'
                                           and type(x).__name__ in ('bool_', 'bool'))


def _real(x, what):
    """`x` as a float, or a TypeError naming its type."""
    if _is_real(x):
        try:
            return float(x)
        except OverflowError:
            digits = int(int(x).bit_length() * 0.30103) + 1  # (str() of it may be refused)
            raise OverflowError(f"{what} ({type(x).__name__} of about {digits} digits) is too "
                                f"large for a float") from None
    from .engine import Value  # (here, not above: engine.py imports this module)
    if isinstance(x, Value):
        raise TypeError(f"{what} must be a real number, got a Value; use its .data")
    raise TypeError(f"{what} must be a real number (int or float), got {type(x).__name__}")


def _operand_error(x, op, reflected=False):
    """The TypeError for an operand of `op` that is not a number nor a Value."""
    left, right = ('Value', type(x).__name__)[::-1 if reflected else 1]
    return TypeError(f"unsupported operand type(s) for {op}: '{left}' and '{right}' "
                     f"(a Value combines with real numbers and Values only)")
