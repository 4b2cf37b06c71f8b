"""Emailed links: random, stored only as a hash, expiring, and usable once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain import link_tokens as links
from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import LinkPurpose
from domain.errors import LinkInvalid
from domain.model import LinkToken

TTL = timedelta(hours=48)


def _issue(db: Database, purpose: LinkPurpose = LinkPurpose.VIEW_REGISTRATION) -> str:
    with db.write() as session:
        token = links.issue_link(session, purpose=purpose, ttl=TTL, now=utcnow())
        session.commit()
    return token


def test_a_link_token_has_256_bits_and_only_its_hash_is_stored(db: Database) -> None:
    token = _issue(db)
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    assert token != _issue(db)
    with db.read() as session:
        stored = [row.token_hash for row in session.scalars(select(LinkToken))]
    assert links.hash_token(token) in stored
    assert token not in stored
    assert all(len(value) == 64 for value in stored)


def test_a_link_can_be_used_once(db: Database) -> None:
    token = _issue(db)
    with db.write() as session:
        link = links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())
        assert link.used_at is not None
        session.commit()
    with db.write() as session, pytest.raises(LinkInvalid, match="already been used"):
        links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())


def test_a_link_used_in_a_rolled_back_change_still_works(db: Database) -> None:
    token = _issue(db)
    with db.write() as session:
        links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())
        session.rollback()
    with db.write() as session:
        assert links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())


def test_an_expired_link_is_refused_with_a_clear_message(db: Database) -> None:
    token = _issue(db)
    later = utcnow() + TTL + timedelta(seconds=1)
    with db.write() as session:
        with pytest.raises(LinkInvalid, match="expired"):
            links.find_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=later)
        with pytest.raises(LinkInvalid, match="expired"):
            links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=later)


@pytest.mark.parametrize("bad", ["", "made-up-token", "x" * 5000])
def test_an_unknown_link_is_refused(db: Database, bad: str) -> None:
    with db.write() as session, pytest.raises(LinkInvalid, match="not valid"):
        links.use_link(session, bad, LinkPurpose.VIEW_REGISTRATION, now=utcnow())


def test_a_link_works_only_for_its_own_purpose(db: Database) -> None:
    token = _issue(db, LinkPurpose.VIEW_REGISTRATION)
    with db.write() as session, pytest.raises(LinkInvalid, match="not valid"):
        links.use_link(session, token, LinkPurpose.CANCEL_REGISTRATION, now=utcnow())


def test_find_link_does_not_use_the_link(db: Database) -> None:
    token = _issue(db)
    with db.read() as session:
        links.find_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())
        links.find_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())
    with db.write() as session:
        assert links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())


def test_two_concurrent_uses_of_one_link_let_exactly_one_through(db: Database) -> None:
    for _ in range(5):
        token = _issue(db)
        start = threading.Barrier(8)
        outcomes: list[str] = []

        def use(
            token: str = token, start: threading.Barrier = start, outcomes: list[str] = outcomes
        ) -> None:
            start.wait()
            try:
                with db.write() as session:
                    links.use_link(session, token, LinkPurpose.VIEW_REGISTRATION, now=utcnow())
                    session.commit()
                outcomes.append("used")
            except LinkInvalid:
                outcomes.append("refused")

        threads = [threading.Thread(target=use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["refused"] * 7 + ["used"]
