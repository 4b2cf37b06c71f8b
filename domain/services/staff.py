"""Staff accounts: passwords (argon2id), sign-in with throttling, and account changes."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Insert, case, delete, func, literal, or_, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.db.upsert import upsert_insert
from domain.errors import DomainError, NotFound, ValidationError
from domain.model import LoginThrottle, StaffUser
from domain.rules import login_throttle as rules
from domain.rules.identifiers import is_storable
from domain.services.staff_sessions import end_all_sessions_in_session

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{0,149}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_EDITABLE = ("email", "full_name", "is_active", "is_superuser")


class LoginFailed(DomainError):
    def __init__(self) -> None:
        super().__init__("Wrong username or password.")


class LoginLocked(DomainError):
    """Too many failures for this account or address; ``str()`` says how long to wait."""


def _hasher() -> PasswordHasher:
    # argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane): slow for a
    # guesser, yet a sign-in stays quick on a small server that others share.
    # Hashes made with other parameters are upgraded at the next sign-in.
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
            field="password",
        )


@dataclass(frozen=True)
class StaffDetails:
    email: str = ""
    full_name: str = ""
    is_superuser: bool = False
    is_active: bool = True


def create_staff_user(
    db: Database,
    *,
    username: str,
    password: str,
    actor: Actor,
    email: str = "",
    full_name: str = "",
    is_superuser: bool = False,
    now: datetime | None = None,
) -> StaffUser:
    """A new active staff account; ``ValidationError`` for a taken or malformed username."""
    now = now or utcnow()
    username = _clean_username(username)
    details = _clean_details(StaffDetails(email, full_name, is_superuser))
    check_password_strength(password)
    password_hash = hash_password(password)
    with db.write() as session:
        taken = session.scalar(select(func.count()).where(t.staff_users.c.username == username))
        if taken:
            raise ValidationError(f"The username {username!r} is taken.", field="username")
        user = StaffUser(
            username=username,
            email=details.email,
            full_name=details.full_name,
            is_superuser=details.is_superuser,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
        session.add(user)
        session.flush()
        audit.record(session, actor, "staff.create", user, {"username": [None, username]})
        session.commit()
        return user


def update_staff_user(
    db: Database,
    *,
    staff_user_id: int,
    details: StaffDetails,
    actor: Actor,
    now: datetime | None = None,
) -> StaffUser:
    """Change an account's details; deactivating it ends all its sessions."""
    details = _clean_details(details)
    with db.write() as session:
        user = _get(session, staff_user_id)
        demoting_self = user.is_superuser and not details.is_superuser
        if actor.staff_user_id == staff_user_id and (demoting_self or not details.is_active):
            raise ValidationError(
                "You cannot deactivate your own account or remove your own superuser role."
            )
        before = audit.snapshot(user, _EDITABLE)
        for name in _EDITABLE:
            setattr(user, name, getattr(details, name))
        user.updated_at = now or utcnow()
        if not user.is_active:
            end_all_sessions_in_session(session, staff_user_id)
        audit.record(session, actor, "staff.update", user, audit.diff(before, user))
        session.commit()
        return user


def deactivate_staff_user(
    db: Database, *, staff_user_id: int, actor: Actor, now: datetime | None = None
) -> StaffUser:
    """Stop an account from signing in and sign it out of every browser."""
    with db.write() as session:
        user = _get(session, staff_user_id)
        if actor.staff_user_id == staff_user_id:
            raise ValidationError("You cannot deactivate your own account.")
        before = audit.snapshot(user, ["is_active"])
        user.is_active = False
        user.updated_at = now or utcnow()
        end_all_sessions_in_session(session, staff_user_id)
        audit.record(session, actor, "staff.deactivate", user, audit.diff(before, user))
        session.commit()
        return user


def reset_password(
    db: Database, *, staff_user_id: int, actor: Actor, now: datetime | None = None
) -> str:
    """Give the account a new random password, returned once and stored only hashed.

    The account's sessions end, so whoever knew the old password is signed out,
    and the password is temporary: until the user picks their own, the admin
    shows them only the "My password" page. The account's sign-in lock is lifted,
    since whoever reset it vouches for the new password (the address lock stays).
    """
    temporary = secrets.token_urlsafe(12)
    password_hash = hash_password(temporary)
    with db.write() as session:
        user = _get(session, staff_user_id)
        user.password_hash = password_hash
        user.must_change_password = True
        user.updated_at = now or utcnow()
        end_all_sessions_in_session(session, staff_user_id)
        session.execute(
            delete(t.login_throttles).where(
                t.login_throttles.c.key == rules.account_key(user.username)
            )
        )
        audit.record(session, actor, "staff.reset_password", user)
        session.commit()
    return temporary


def authenticate(
    db: Database, username: str, password: str, *, address: str, now: datetime | None = None
) -> StaffUser:
    """The active staff user with these credentials, now signed in.

    Raises ``LoginLocked`` while the account or the address is locked (the password
    is not even checked) and ``LoginFailed`` otherwise. Every attempt is counted
    before its password is checked, so no more than the limit are ever checked
    however many arrive at once; a success gives its count back and may clear
    the account's (domain/rules/login_throttle.py says when).
    """
    return _check_credentials(db, username, password, address=address, now=now or utcnow())


def change_own_password(
    db: Database,
    *,
    staff_user_id: int,
    current_password: str,
    new_password: str,
    address: str,
    keep_session_id: str = "",
    now: datetime | None = None,
) -> None:
    """A signed-in user replaces their password (e.g. a temporary one).

    The current password is checked and throttled like a sign-in; every other
    browser signed in to the account is signed out.
    """
    now = now or utcnow()
    check_password_strength(new_password)
    with db.read() as session:
        username = _get(session, staff_user_id).username
    _check_credentials(db, username, current_password, address=address, now=now, sign_in=False)
    password_hash = hash_password(new_password)
    with db.write() as session:
        user = _get(session, staff_user_id)
        user.password_hash = password_hash
        user.must_change_password = False
        user.updated_at = now
        session.execute(
            delete(t.staff_sessions).where(
                t.staff_sessions.c.staff_user_id == staff_user_id,
                t.staff_sessions.c.id != keep_session_id,
            )
        )
        audit.record(session, Actor.staff(staff_user_id, username), "staff.change_password", user)
        session.commit()


def _check_credentials(
    db: Database,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime,
    sign_in: bool = True,
) -> StaffUser:
    username = username.strip().lower()
    if not (is_storable(username) and is_storable(address)):
        # No account can be called this, and the database could not even count it.
        raise LoginFailed()
    keys = (rules.account_key(username), rules.address_key(address))
    reserved = _count_attempt(db, keys, now=now)
    with db.read() as session:
        user = session.scalar(select(StaffUser).where(t.staff_users.c.username == username))
        if user is not None:
            session.expunge(user)  # keep its loaded values past the block's rollback
    # The slow hash check runs outside any transaction, and for unknown users too,
    # so that timing does not tell which usernames exist.
    stored_hash = user.password_hash if user is not None else _dummy_hash()
    good = verify_password(stored_hash, password) and user is not None and user.is_active
    if not good or user is None:
        # Counted already; the attempt that reached a limit says the lock has begun.
        locks = [rules.locked_for(state, now=now) for state in reserved]
        remaining = max((r for r in locks if r is not None), default=None)
        if remaining is not None:
            raise LoginLocked(rules.lock_message(remaining))
        raise LoginFailed()
    with db.write() as session:
        for key, state in zip(keys, reserved, strict=True):
            _give_back(session, key, state)
        stored = _get(session, user.id or 0)
        if sign_in:
            stored.last_login_at = now
            if _hasher().check_needs_rehash(stored.password_hash):
                stored.password_hash = hash_password(password)
            audit.record(session, Actor.staff(user.id or 0, username), "staff.sign_in", stored)
        session.commit()
        return stored


def _count_attempt(
    db: Database, keys: tuple[str, ...], *, now: datetime
) -> list[rules.ThrottleState]:
    """Count one attempt against every key, or raise ``LoginLocked`` and count it nowhere."""
    with db.write() as session:
        counted = []
        for key in keys:
            row = session.execute(_count_statement(session, key, now=now)).one_or_none()
            if row is None:
                # Leaving the block rolls back the keys counted so far: an attempt
                # that is refused, and so never checked, counts against no key.
                raise LoginLocked(rules.lock_message(_refused_for(session, key, now=now)))
            counted.append(rules.ThrottleState(row.failures, row.locked_until, row.updated_at))
        session.commit()
    return counted


def _count_statement(session: Session, key: str, *, now: datetime) -> Insert:
    """``rules.may_attempt`` and ``rules.after_attempt`` as one statement.

    It returns the new count, or no row when the key is at its limit. The upsert
    holds the key's row lock until commit, so concurrent attempts from any number
    of processes are counted one after another and none slips past the limit (on
    SQLite the write transaction itself is serialised). Keys are always counted
    account first, then address, so two attempts never wait on each other's locks.
    """
    row = t.login_throttles.c
    limit = rules.limit_for(key)
    forgotten = row.updated_at <= now - rules.LOCK_DURATION
    failures = case((forgotten, 1), else_=row.failures + 1)
    lock_ends = literal(now + rules.LOCK_DURATION, row.locked_until.type)
    first = rules.after_attempt(None, key, now=now)
    return (
        upsert_insert(session, t.login_throttles)
        .values(key=key, failures=first.failures, locked_until=first.locked_until, updated_at=now)
        .on_conflict_do_update(
            index_elements=[row.key],
            set_={
                "failures": failures,
                "locked_until": case((failures >= limit, lock_ends), else_=None),
                "updated_at": now,
            },
            where=or_(forgotten, row.failures < limit),
        )
        .returning(row.failures, row.locked_until, row.updated_at)
    )


def _refused_for(session: Session, key: str, *, now: datetime) -> timedelta:
    # The refused upsert still locked the row, so this reads the state that refused it.
    throttle = session.get(LoginThrottle, key, populate_existing=True)
    remaining = rules.locked_for(_state(throttle), now=now) if throttle else None
    # A refused key is at its limit and so locked; the fallback only guards hand edits.
    return remaining if remaining is not None else rules.LOCK_DURATION


def _give_back(session: Session, key: str, reserved: rules.ThrottleState) -> None:
    throttle = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    if throttle is None:
        return  # another success on this account has cleared its count already
    after = rules.after_success(_state(throttle), reserved, key)
    if after is None:
        session.delete(throttle)
    else:
        throttle.failures, throttle.locked_until = after.failures, after.locked_until


def _state(throttle: LoginThrottle) -> rules.ThrottleState:
    return rules.ThrottleState(throttle.failures, throttle.locked_until, throttle.updated_at)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def _get(session: Session, staff_user_id: int) -> StaffUser:
    user = session.get(StaffUser, staff_user_id)
    if user is None:
        raise NotFound("There is no such staff user.")
    return user


def _clean_username(raw: str) -> str:
    username = raw.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise ValidationError(
            "A username is 1 to 150 letters, digits or . _ @ + - and starts with a "
            "letter or digit.",
            field="username",
        )
    return username


def _clean_details(details: StaffDetails) -> StaffDetails:
    email = details.email.strip()
    if email and not _EMAIL.fullmatch(email):
        raise ValidationError(f"{email!r} is not an email address.", field="email")
    full_name = " ".join(details.full_name.split())
    if len(full_name) > 255:
        raise ValidationError("The full name must be at most 255 characters.", field="full_name")
    return StaffDetails(email.lower(), full_name, details.is_superuser, details.is_active)
