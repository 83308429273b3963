"""How the playground says no: a `Refusal` carries the message the page shows inline and
the HTTP status the server answers with (400 unless it says otherwise); `shown` quotes
what was given, cut short."""


class Refusal(ValueError):
    """A request the playground will not do, with a message naming why (and the limit)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def shown(x, most=40):
    """`x` as a message quotes it: its repr, cut short."""
    return cut(repr(x), most)


def cut(text, most=40):
    """`text`, cut short to at most `most` characters."""
    return text if len(text) <= most else text[:most - 3] + '...'
