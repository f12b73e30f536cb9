"""The ``opentrakt`` command."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from opentrakt import logs
from opentrakt.accounts import service as accounts
from opentrakt.accounts.passwords import sha1_hex
from opentrakt.cli_import import import_app
from opentrakt.clock import Clock
from opentrakt.config import Settings
from opentrakt.db import migrate
from opentrakt.db.engine import create_engine, write_connection
from opentrakt.errors import DomainError

try:  # Typer 0.26+ carries its own copy of Click; older Typer uses the click package.
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef]

T = TypeVar("T")

app = typer.Typer(
    help="opentrakt: a self-hostable watch tracker that speaks the trakt.tv API v1.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
user_app = typer.Typer(help="Manage users and their API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")


def fail(message: str) -> None:
    # One line, always: database errors carry the statement and a help link on later lines.
    lines = message.strip().splitlines()
    typer.echo(f"error: {lines[0] if lines else 'failed'}", err=True)
    raise typer.Exit(1)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"OPENTRAKT_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        fail(f"invalid configuration: {problems}")
        raise  # unreachable


def run_db(work: Callable[[AsyncEngine], Awaitable[T]], *, migrate_first: bool = True) -> T:
    """Run ``work`` against the configured database, turning failures into one-line errors."""
    settings = load_settings()

    async def runner() -> T:
        engine = create_engine(settings.resolved_database_url, null_pool=True)
        try:
            if migrate_first:
                await migrate.upgrade(engine)
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(runner())
    except DomainError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"cannot reach the database: {exc}")
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlalchemy", "asyncpg", "sqlite3", "aiosqlite")):
            fail(f"database error: {exc}")
        raise
    raise AssertionError("unreachable")


def in_transaction(work: Callable[[AsyncConnection], Awaitable[T]]) -> Callable[[AsyncEngine], Awaitable[T]]:
    async def run(engine: AsyncEngine) -> T:
        async with engine.connect() as conn:
            conn = await write_connection(conn)
            async with conn.begin():
                return await work(conn)

    return run


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (OPENTRAKT_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port (OPENTRAKT_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes (OPENTRAKT_WORKERS).")] = None,
) -> None:
    """Apply migrations, then serve the v1 API."""
    import uvicorn

    for name, value in (("HOST", host), ("PORT", port), ("WORKERS", workers)):
        if value is not None:
            os.environ[f"OPENTRAKT_{name}"] = str(value)
    settings = load_settings()
    logs.configure(settings.log_level)
    run_db(lambda engine: asyncio.sleep(0))
    backend = settings.resolved_database_url.split(":", 1)[0]
    typer.echo(f"opentrakt serving http://{settings.host}:{settings.port}/ ({backend})")
    uvicorn.run(
        "opentrakt.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        access_log=False,
        log_level=settings.log_level,
        proxy_headers=False,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""

    async def report(engine: AsyncEngine) -> str | None:
        return await migrate.current_revision(engine)

    revision = run_db(report)
    typer.echo(f"database at revision {revision}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision."""
    revision = run_db(migrate.current_revision, migrate_first=False)
    typer.echo(revision or "empty")


@db_app.command("revision", hidden=True)
def db_revision(
    message: Annotated[str, typer.Argument(help="What the migration does.")],
    rev_id: Annotated[str, typer.Option(help="Revision id, e.g. 0002.")],
) -> None:
    """(Developers) generate a migration from the difference between tables and schema."""
    asyncio.run(migrate.autogenerate_revision(message, rev_id))


@app.command()
def methods() -> None:
    """List the registered v1 methods: name, verbs, auth, key permission, URL template."""
    from opentrakt.v1.handlers import load_handlers
    from opentrakt.v1.registry import registry

    load_handlers()
    for method in registry:
        typer.echo(
            "\t".join(
                (
                    method.name,
                    ",".join(method.verbs),
                    method.auth.value,
                    method.permission.value if method.permission else "none",
                    method.url_template(),
                )
            )
        )


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Username: 1-32 letters, digits, '_', '-' or '.'.")],
    email: Annotated[str, typer.Option(help="E-mail address (unique).")],
    password: Annotated[str, typer.Option(help="The password (clients send its SHA1).")],
    admin: Annotated[bool, typer.Option(help="Also allow this user's key to create accounts.")] = False,
) -> None:
    """Create a user; the last line printed is the user's API key."""
    now = Clock().now()

    async def work(conn: AsyncConnection) -> str:
        user, key = await accounts.create_user(
            conn, username=name, email=email, password_sha1=sha1_hex(password), now=now, admin=admin
        )
        typer.echo(f"created {'admin ' if admin else ''}user {user.username}")
        return key.key

    typer.echo(run_db(in_transaction(work)))


@user_app.command("key")
def user_key(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Print the user's API key."""
    typer.echo(run_db(in_transaction(lambda conn: accounts.user_key(conn, name))))


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="Username.")],
    password: Annotated[str, typer.Option(help="The new password.")],
) -> None:
    """Change a user's password."""
    run_db(in_transaction(lambda conn: accounts.set_password(conn, name, sha1_hex(password))))
    typer.echo(f"password changed for {name}")


@user_app.command("set")
def user_set(
    name: Annotated[str, typer.Argument(help="Username.")],
    protected: Annotated[
        bool | None, typer.Option("--protected/--public", help="Hide the profile from all but friends.")
    ] = None,
    full_name: Annotated[str | None, typer.Option(help="Full name shown on the profile.")] = None,
    location: Annotated[str | None, typer.Option(help="Location shown on the profile.")] = None,
    about: Annotated[str | None, typer.Option(help="About text shown on the profile.")] = None,
    gender: Annotated[str | None, typer.Option(help="male or female.")] = None,
    age: Annotated[int | None, typer.Option(help="Age in years.")] = None,
    ratings_mode: Annotated[str | None, typer.Option(help="simple or advanced.")] = None,
) -> None:
    """Change profile fields and settings that v1 clients can't change."""
    changes = {
        key: value
        for key, value in {
            "protected": protected,
            "full_name": full_name,
            "location": location,
            "about": about,
            "gender": gender,
            "age": age,
        }.items()
        if value is not None
    }

    async def work(conn: AsyncConnection) -> None:
        await accounts.update_profile(conn, name, **changes)
        if ratings_mode is not None:
            await accounts.set_ratings_mode(conn, name, ratings_mode)

    run_db(in_transaction(work))
    typer.echo(f"updated {name}")


@user_app.command("list")
def user_list() -> None:
    """List users: name, admin flag, protected flag, API key."""

    async def work(conn: AsyncConnection) -> None:
        for user, key in await accounts.list_users(conn):
            flags = ",".join(f for f, on in (("admin", user.is_admin), ("protected", user.protected)) if on)
            typer.echo(f"{user.username}\t{flags or '-'}\t{key or '-'}")

    run_db(in_transaction(work))


# Raised for `opentrakt` or `opentrakt user` alone (Click 8.2+); it carries the help text.
_NO_ARGS_IS_HELP: tuple[type[Exception], ...] = tuple(
    cls for cls in (getattr(click_errors, "NoArgsIsHelpError", None),) if cls is not None
)


def main() -> None:
    """The console entry point: usage mistakes get the same one-line ``error:`` as other failures."""
    try:
        code = app(standalone_mode=False)
    except _NO_ARGS_IS_HELP as exc:
        assert isinstance(exc, click_errors.UsageError)
        exc.show()
        sys.exit(exc.exit_code)
    except click_errors.ClickException as exc:
        message = " ".join(exc.format_message().split())
        typer.echo(f"error: {message} (see --help)", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
