"""The ``rollbook`` command: serve, migrate, createsuperuser, demo, worker."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from domain.actors import Actor
from domain.config import Config, ConfigError, load_config
from domain.db import tables as t
from domain.db.database import Database
from domain.errors import DomainError
from domain.migrate import is_at_head, upgrade_to_head


class CommandError(Exception):
    """Stops the command with a message for the person who ran it."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config()
        return int(args.run(args, config) or 0)
    except ConfigError as exc:
        print(f"rollbook: configuration error: {exc}", file=sys.stderr)
    except CommandError as exc:
        print(f"rollbook: {exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(f"rollbook: database error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print(file=sys.stderr)
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rollbook", description="Course enrollment: admin panel, public site, tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the public site at / and the admin at /admin/")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)

    superuser = commands.add_parser("createsuperuser", help="create a staff superuser")
    superuser.add_argument("--username")
    superuser.add_argument("--email", default="")
    superuser.add_argument("--full-name", default="")
    superuser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    superuser.set_defaults(run=_createsuperuser)

    demo = commands.add_parser("demo", help="load realistic demo data (safe to run twice)")
    demo.set_defaults(run=_demo)

    worker = commands.add_parser("worker", help="send queued emails and run periodic jobs")
    worker.add_argument("--once", action="store_true", help="do one round of work and exit")
    worker.set_defaults(run=_worker)
    return parser


def prepare_database(config: Config) -> None:
    """Migrate the embedded SQLite database; refuse a PostgreSQL one that is behind."""
    try:
        if config.uses_embedded_database:
            upgrade_to_head(config.database_url)
        elif not is_at_head(config.database_url):
            raise CommandError(
                "the database schema is not up to date: run `rollbook migrate` first"
            )
    except SQLAlchemyError as exc:
        raise CommandError(f"cannot use the database: {exc}") from exc


def _serve(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    prepare_database(config)
    port = args.port or config.port
    print(
        f"Rollbook is running at http://{_display_host(args.host)}:{port}/ (admin at /admin/)",
        flush=True,
    )
    uvicorn.run("rollbook.asgi:create_app", factory=True, host=args.host, port=port)
    return 0


def _display_host(host: str) -> str:
    return "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host


def _migrate(args: argparse.Namespace, config: Config) -> int:
    try:
        upgrade_to_head(config.database_url)
    except SQLAlchemyError as exc:
        raise CommandError(f"cannot migrate the database: {exc}") from exc
    print("The database schema is up to date.")
    return 0


def _createsuperuser(args: argparse.Namespace, config: Config) -> int:
    if args.password_stdin:
        if not args.username:
            raise CommandError("--password-stdin needs --username")
        username, email = args.username, args.email
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        username = args.username or input("Username: ")
        email = args.email or input("Email (optional): ")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("the two passwords differ; nothing was created")
    db = Database(config.database_url)
    try:
        prepare_database(config)
        user = _create_superuser(db, username, email, args.full_name, password)
    finally:
        db.dispose()
    print(f"Superuser {user} created.")
    return 0


def _create_superuser(
    db: Database, username: str, email: str, full_name: str, password: str
) -> str:
    from domain.services.staff import create_staff_user

    try:
        user = create_staff_user(
            db,
            username=username,
            email=email,
            full_name=full_name,
            password=password,
            is_superuser=True,
            actor=Actor.script("rollbook createsuperuser"),
        )
    except DomainError as exc:
        raise CommandError(f"{exc} Nothing was created.") from exc
    return user.username


def _demo(args: argparse.Namespace, config: Config) -> int:
    from domain.demo import load_demo

    prepare_database(config)
    db = Database(config.database_url)
    try:
        summary = load_demo(db)
        print(summary.describe())
        with db.read() as session:
            superusers = session.scalar(
                select(func.count()).where(t.staff_users.c.is_superuser.is_(True))
            )
        if superusers:
            print("A superuser exists already: sign in at /admin/ with its password.")
        else:
            password = secrets.token_urlsafe(12)
            _create_superuser(db, "admin", "", "Demo administrator", password)
            print(f"Admin login: username admin, password {password}")
    finally:
        db.dispose()
    return 0


def _worker(args: argparse.Namespace, config: Config) -> int:
    from domain.worker import run_worker

    prepare_database(config)
    run_worker(config, once=args.once)
    return 0


if __name__ == "__main__":
    sys.exit(main())
