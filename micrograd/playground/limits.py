"""How the playground says no: a `Refusal` carries the message the page shows inline and
the HTTP status the server answers with (400 unless it says otherwise)."""


class Refusal(ValueError):
    """A request the playground will not do, with a message naming why (and the limit)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status
