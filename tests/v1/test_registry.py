"""The method registry against the contract's endpoint table, and ``opentrakt methods``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opentrakt.accounts.models import Permission
from opentrakt.cli import app as cli_app
from opentrakt.v1.handlers import load_handlers
from opentrakt.v1.registry import READ, WRITE, Auth, Registry, V1Method, registry

# The sections this part of the code base owns; they must be registered in full.
FOUNDATION_METHODS = {"account/create", "account/settings", "account/test", "server/time"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    verbs: tuple[str, ...]
    auth: str
    permission: str
    segments: tuple[str, ...]
    optional: tuple[str, ...]
    deprecated: bool


def parse_endpoints(path: Path) -> dict[str, Endpoint]:
    endpoints: dict[str, Endpoint] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            _, _, after_key = row["url_template"].partition("{apikey}")
            segments = tuple(part.strip("{}") for part in after_key.split("/") if part)
            endpoints[row["method"]] = Endpoint(
                method=row["method"],
                verbs=tuple(row["verbs"].split(",")),
                auth=row["auth"],
                permission=row["key_permission"],
                segments=segments,
                optional=tuple(s for s in row["optional_segments"].split(",") if s),
                deprecated=row["deprecated"] == "yes",
            )
    return endpoints


@pytest.fixture(scope="module")
def endpoints(shared_dir: Path) -> dict[str, Endpoint]:
    table = parse_endpoints(shared_dir / "spec" / "v1" / "endpoints.tsv")
    assert len(table) > 100
    return table


@pytest.fixture(scope="module")
def methods() -> list[V1Method]:
    load_handlers()
    return list(registry)


def test_foundation_methods_are_registered(methods: list[V1Method]) -> None:
    assert {m.name for m in methods} >= FOUNDATION_METHODS


def test_every_registered_method_is_in_the_contract(
    methods: list[V1Method], endpoints: dict[str, Endpoint]
) -> None:
    unknown = sorted(m.name for m in methods if m.name not in endpoints)
    assert unknown == []


def test_every_registered_method_matches_the_contract(
    methods: list[V1Method], endpoints: dict[str, Endpoint]
) -> None:
    mismatches: list[str] = []
    for method in methods:
        spec = endpoints.get(method.name)
        if spec is None:
            continue
        actual = {
            "verbs": method.verbs,
            "auth": method.auth.value,
            "permission": method.permission.value if method.permission else "none",
            "segments": method.segments,
            "optional": method.optional,
            "deprecated": method.deprecated,
        }
        expected = {
            "verbs": spec.verbs,
            "auth": spec.auth,
            "permission": spec.permission,
            "segments": spec.segments,
            "optional": spec.optional,
            "deprecated": spec.deprecated,
        }
        for field, value in actual.items():
            if value != expected[field]:
                mismatches.append(
                    f"{method.name} {field}: registered {value!r}, contract {expected[field]!r}"
                )
    assert mismatches == []


def test_contract_optional_segments_trail_the_required_ones(endpoints: dict[str, Endpoint]) -> None:
    # The check above relies on this reading of the table: optional segments come last.
    for spec in endpoints.values():
        if spec.optional:
            assert spec.segments[-len(spec.optional) :] == spec.optional, spec.method


def test_registry_refuses_a_second_registration() -> None:
    private = Registry()

    async def handler(call: object) -> None:
        return None

    method = V1Method("a/b", READ, Auth.NONE, None, ("x",), ("y",), handler)
    private.add(method)
    with pytest.raises(ValueError, match="a/b registered twice"):
        private.add(method)
    private.add(V1Method("a/b/c/d", WRITE, Auth.REQUIRED, Permission.SCROBBLE, (), (), handler))
    assert len(private) == 2
    assert private.max_depth == 4
    assert [m.name for m in private] == ["a/b", "a/b/c/d"]
    assert private.get("a/b") is method and private.get("a") is None
    assert method.url_template() == "/a/b.json/{apikey}/{x}/{y}"
    assert private.get("a/b/c/d").url_template() == "/a/b/c/d/{apikey}"  # type: ignore[union-attr]


def test_methods_command_lists_every_method(methods: list[V1Method]) -> None:
    result = CliRunner().invoke(cli_app, ["methods"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(methods)
    listed = {}
    for line in lines:
        name, verbs, auth, permission, template = line.split("\t")
        listed[name] = (verbs, auth, permission, template)
    for method in methods:
        assert listed[method.name] == (
            ",".join(method.verbs),
            method.auth.value,
            method.permission.value if method.permission else "none",
            method.url_template(),
        )
    assert listed["account/create"] == ("POST", "none", "create_account", "/account/create/{apikey}")
    assert listed["server/time"] == ("GET,POST", "none", "none", "/server/time.json/{apikey}")
