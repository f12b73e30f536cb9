"""Domain errors: raised by services, translated by each protocol adapter."""

from __future__ import annotations


class DomainError(Exception):
    """Base class; ``message`` is safe to show to the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Forbidden(DomainError):
    pass


class Invalid(DomainError):
    pass
