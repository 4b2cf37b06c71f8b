"""The ``rollbook`` command: serve, migrate, createsuperuser, resetpassword, demo, worker,
import, export."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from domain.actors import Actor
from domain.config import Config, ConfigError, load_config
from domain.db import tables as t
from domain.db.database import Database
from domain.db.migrate import upgrade_to_head
from domain.errors import DomainError
from rollbook.data_commands import add_data_commands
from rollbook.database_setup import CommandError, prepare_database

if TYPE_CHECKING:
    import uvicorn


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

    reset = commands.add_parser(
        "resetpassword", help="give a staff account a new temporary password (printed once)"
    )
    reset.add_argument("username")
    reset.set_defaults(run=_resetpassword)

    demo = commands.add_parser("demo", help="load realistic demo data (safe to run twice)")
    demo.set_defaults(run=_demo)

    worker = commands.add_parser("worker", help="send queued emails and run periodic jobs")
    worker.add_argument("--once", action="store_true", help="do one round of work and exit")
    worker.set_defaults(run=_worker)

    add_data_commands(commands)
    return parser


def _serve(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    prepare_database(config)
    port = args.port or config.port
    # The app is built from the environment (uvicorn loads it by name): with the
    # port in it, links in emails name this server unless BASE_URL says otherwise.
    os.environ["PORT"] = str(port)
    server = uvicorn.Server(
        uvicorn.Config("rollbook.asgi:create_app", factory=True, host=args.host, port=port)
    )
    lines = [f"Rollbook is running at http://{_display_host(args.host)}:{port}/ (admin at /admin/)"]
    if config.uses_local_mailbox:
        lines.append("No SMTP_HOST: emails go to the local mailbox, read at /admin/mailbox/")
    threading.Thread(
        target=_announce_when_started, args=(server, "\n".join(lines)), daemon=True
    ).start()
    server.run()
    # As uvicorn.run: a server that never started (port taken, app failed to load) is a failure.
    return 0 if server.started else 3


def _announce_when_started(server: uvicorn.Server, message: str) -> None:
    # `started` turns true once the app has started and the socket listens, so
    # whoever reads the address can use it at once.
    while not server.started:
        time.sleep(0.05)
    print(message, flush=True)


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
    db = Database.from_config(config)
    try:
        prepare_database(config)
        user = _create_superuser(db, username, email, args.full_name, password)
    finally:
        db.dispose()
    print(f"Superuser {user} created.")
    return 0


def _resetpassword(args: argparse.Namespace, config: Config) -> int:
    from domain.services.staff import reset_password

    prepare_database(config)
    db = Database.from_config(config)
    try:
        with db.read() as session:
            account = session.execute(
                select(
                    t.staff_users.c.id, t.staff_users.c.username, t.staff_users.c.is_active
                ).where(t.staff_users.c.username == args.username.strip().lower())
            ).one_or_none()
        if account is None:
            raise CommandError(f"there is no staff account {args.username!r}; nothing was changed")
        password = reset_password(
            db, staff_user_id=account.id, actor=Actor.script("rollbook resetpassword")
        )
    finally:
        db.dispose()
    print(f"New temporary password for {account.username}: {password}")
    print("Sign in at /admin/ with it; you will then be asked to choose your own.")
    if not account.is_active:
        print("This account is deactivated: a superuser must reactivate it before it can sign in.")
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
    db = Database.from_config(config)
    try:
        summary = load_demo(db)
        print(summary.describe())
        with db.read() as session:
            superusers = session.scalars(
                select(t.staff_users.c.username)
                .where(t.staff_users.c.is_superuser.is_(True))
                .order_by(t.staff_users.c.id)
            ).all()
        if superusers:
            name = superusers[0] if len(superusers) == 1 else "USERNAME"
            print(
                f"A superuser exists already ({', '.join(superusers)}): sign in at /admin/ "
                f"with its password.\nForgot it? `{_this_command()} resetpassword {name}` "
                "prints a new one."
            )
        else:
            password = secrets.token_urlsafe(12)
            _create_superuser(db, "admin", "", "Demo administrator", password)
            print(f"Admin login: username admin, password {password}")
    finally:
        db.dispose()
    return 0


def _this_command() -> str:
    """How to run this command again: ``rollbook`` when the shell finds this one, else its path."""
    invoked = Path(sys.argv[0])
    if invoked.name != "rollbook":
        return "rollbook"
    found = shutil.which("rollbook")
    if found and Path(found).resolve() == invoked.resolve():
        return "rollbook"
    try:
        return str(invoked.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(invoked.resolve())


def _worker(args: argparse.Namespace, config: Config) -> int:
    from domain.outbox.worker import run_worker

    prepare_database(config)
    run_worker(config, once=args.once)
    return 0


if __name__ == "__main__":
    sys.exit(main())
