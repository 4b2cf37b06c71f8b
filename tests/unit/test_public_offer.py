"""What the public may book in a course now: the rule the catalogue lists by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.services.catalogue import PublicOffer, public_offer

NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _offer(
    *, published: bool = True, starts_in: timedelta, classes: dict[int, timedelta] | None = None
) -> PublicOffer:
    return public_offer(
        is_published=published,
        course_starts_at=NOW + starts_in,
        drop_in_classes=[(i, NOW + delta) for i, delta in (classes or {}).items()],
        now=NOW,
    )


def test_course_not_yet_started_offers_its_full_package_and_classes() -> None:
    offer = _offer(starts_in=HOUR, classes={1: HOUR, 2: 2 * HOUR})
    assert offer == PublicOffer(package=True, drop_in_session_ids=(1, 2))
    assert offer.anything


def test_running_series_offers_only_the_classes_not_yet_started() -> None:
    offer = _offer(starts_in=-4 * HOUR, classes={1: -4 * HOUR, 2: timedelta(0), 3: HOUR})
    assert offer == PublicOffer(package=False, drop_in_session_ids=(3,))
    assert offer.anything


def test_course_with_nothing_left_to_start_offers_nothing() -> None:
    offer = _offer(starts_in=-HOUR, classes={1: -HOUR})
    assert not offer.anything


def test_unpublished_course_offers_nothing_even_before_it_starts() -> None:
    offer = _offer(published=False, starts_in=HOUR, classes={1: HOUR})
    assert offer == PublicOffer(package=False, drop_in_session_ids=())
