"""The table of v1 methods: one declarative registration per method, served by one router."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from opentrakt.accounts.models import Permission

if TYPE_CHECKING:
    from opentrakt.v1.call import V1Call

Handler = Callable[["V1Call"], Awaitable[Any]]


class Auth(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


READ = ("GET", "POST")
WRITE = ("POST",)


@dataclass(frozen=True, slots=True)
class V1Method:
    name: str  # e.g. "show/episode/seen"
    verbs: tuple[str, ...]
    auth: Auth
    permission: Permission | None
    required: tuple[str, ...]  # positional path segments after the API key
    optional: tuple[str, ...]  # positional segments that may be left off from the right
    handler: Handler
    deprecated: bool = False
    # A state-changing method that also answers GET (cathode sends cancelcheckin as a GET).
    write: bool = False

    @property
    def writes(self) -> bool:
        """Write methods take their input in the body and run in a write transaction."""
        return self.write or "GET" not in self.verbs

    @property
    def segments(self) -> tuple[str, ...]:
        return self.required + self.optional

    def url_template(self) -> str:
        suffix = "" if self.writes else ".json"
        parts = [f"/{self.name}{suffix}", "{apikey}", *(f"{{{s}}}" for s in self.segments)]
        return "/".join(parts)


class Registry:
    def __init__(self) -> None:
        self._methods: dict[str, V1Method] = {}
        self._max_depth = 1  # kept up to date by add(): the router reads it on every request

    def add(self, method: V1Method) -> None:
        if method.name in self._methods:
            raise ValueError(f"v1 method {method.name} registered twice")
        self._methods[method.name] = method
        self._max_depth = max(self._max_depth, method.name.count("/") + 1)

    def get(self, name: str) -> V1Method | None:
        return self._methods.get(name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._methods.values(), key=lambda m: m.name))

    def __len__(self) -> int:
        return len(self._methods)

    @property
    def max_depth(self) -> int:
        return self._max_depth


registry = Registry()


def v1_method(
    name: str,
    *,
    verbs: tuple[str, ...] = READ,
    auth: Auth = Auth.NONE,
    permission: Permission | None = None,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    deprecated: bool = False,
    write: bool = False,
) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine as the handler of v1 method ``name``."""

    def register(handler: Handler) -> Handler:
        registry.add(
            V1Method(
                name=name,
                verbs=verbs,
                auth=auth,
                permission=permission,
                required=required,
                optional=optional,
                handler=handler,
                deprecated=deprecated,
                write=write,
            )
        )
        return handler

    return register
