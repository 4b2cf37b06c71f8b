"""Emailed links: single-use, expiring tokens of which only a SHA-256 is stored.

A token is ``secrets.token_urlsafe(32)`` (256 bits of randomness). The database
holds its hash, so a copy of the database cannot be turned into working links.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from domain.db.tables import link_tokens
from domain.enums import LinkPurpose
from domain.errors import LinkInvalid
from domain.model import LinkToken

TOKEN_BYTES = 32
# Longer input is not a token we issued; refusing it early keeps hashing cheap.
_MAX_TOKEN_LENGTH = 200

UNKNOWN_MESSAGE = (
    "This link is not valid. Check that you opened the whole link from the email, "
    "or ask us to send a new one."
)
USED_MESSAGE = "This link has already been used. Each link works only once."
EXPIRED_MESSAGE = "This link has expired. Ask us to send a new one."


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(
    session: Session,
    *,
    purpose: LinkPurpose,
    registration_id: int | None = None,
    student_id: int | None = None,
    staff_user_id: int | None = None,
    school_id: int | None = None,
    ttl: timedelta,
    now: datetime,
) -> str:
    """Store a new link's hash in ``session`` and return the raw token to email."""
    if ttl <= timedelta(0):
        raise ValueError("a link must be valid for a positive time")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LinkToken(
            token_hash=hash_token(token),
            purpose=LinkPurpose(purpose),
            registration_id=registration_id,
            student_id=student_id,
            staff_user_id=staff_user_id,
            school_id=school_id,
            expires_at=now + ttl,
            created_at=now,
        )
    )
    return token


def find_link(session: Session, token: str, purpose: LinkPurpose, *, now: datetime) -> LinkToken:
    """The live link for ``token``; ``LinkInvalid`` says why when it is unknown, used or expired."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    link = session.get(LinkToken, hash_token(token), populate_existing=True)
    if link is None or link.purpose != LinkPurpose(purpose):
        raise LinkInvalid(UNKNOWN_MESSAGE)
    if link.used_at is not None:
        raise LinkInvalid(USED_MESSAGE)
    if link.expires_at <= now:
        raise LinkInvalid(EXPIRED_MESSAGE)
    return link


def use_link(session: Session, token: str, purpose: LinkPurpose, *, now: datetime) -> LinkToken:
    """Mark the link used and return it; of two concurrent uses only one succeeds.

    The conditional UPDATE is the lock: whoever's UPDATE changes the row wins,
    the other sees ``used_at`` already set and gets ``LinkInvalid``. The caller
    commits; a rolled-back caller leaves the link usable.
    """
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    token_hash = hash_token(token)
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(link_tokens)
            .where(
                link_tokens.c.token_hash == token_hash,
                link_tokens.c.purpose == LinkPurpose(purpose).value,
                link_tokens.c.used_at.is_(None),
                link_tokens.c.expires_at > now,
            )
            .values(used_at=now)
        ),
    )
    if result.rowcount != 1:
        find_link(session, token, purpose, now=now)
        # find_link found nothing wrong, so the row changed under us: treat as used.
        raise LinkInvalid(USED_MESSAGE)
    return _load(session, token_hash)


def _load(session: Session, token_hash: str) -> LinkToken:
    link = session.get(LinkToken, token_hash, populate_existing=True)
    if link is None:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    return link
