"""The moves offered on a course, waitlist entry, student, class session and staff account
follow their rules; each refused move says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.enums import WaitlistStatus
from domain.rules import course_moves, session_moves, staff_moves, student_moves, waitlist_moves
from domain.rules.course_moves import CourseMove as C
from domain.rules.course_moves import CourseState, has_ended
from domain.rules.session_moves import SessionMove as S
from domain.rules.session_moves import SessionState
from domain.rules.staff_moves import StaffMove as A
from domain.rules.staff_moves import StaffState
from domain.rules.student_moves import StudentMove as P
from domain.rules.student_moves import StudentState
from domain.rules.waitlist_moves import WaitlistEntryState
from domain.rules.waitlist_moves import WaitlistMove as W

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
OPEN = CourseState(is_published=True, ended=False, seats_open=3, waiting=0)


# ---- course -------------------------------------------------------------------------


def test_a_course_is_published_or_unpublished_never_both() -> None:
    assert C.UNPUBLISH in course_moves.allowed_moves(OPEN)
    assert C.PUBLISH not in course_moves.allowed_moves(OPEN)
    draft = replace(OPEN, is_published=False)
    assert C.PUBLISH in course_moves.allowed_moves(draft)
    assert C.UNPUBLISH not in course_moves.allowed_moves(draft)
    assert course_moves.refusal(C.PUBLISH, OPEN) == "This course is already published."


def test_an_unpublished_course_offers_publish_first() -> None:
    draft = replace(OPEN, is_published=False)
    assert course_moves.allowed_moves(draft)[0] is C.PUBLISH


def test_students_are_registered_and_sessions_generated_only_until_the_course_ends() -> None:
    assert {C.REGISTER_STUDENT, C.GENERATE_SESSIONS} <= set(course_moves.allowed_moves(OPEN))
    ended = replace(OPEN, ended=True)
    offered = course_moves.allowed_moves(ended)
    assert C.REGISTER_STUDENT not in offered and C.GENERATE_SESSIONS not in offered
    assert course_moves.refusal(C.REGISTER_STUDENT, ended) == "This course has ended."
    # What is past still has its roll call and its email.
    assert {C.ROLL_CALL, C.EMAIL_BOOKED} <= set(offered)


@pytest.mark.parametrize(
    ("waiting", "seats_open", "offered"),
    [(2, 1, True), (0, 1, False), (2, 0, False), (2, -1, False)],
)
def test_the_next_seat_is_offered_only_when_someone_waits_and_a_seat_is_free(
    waiting: int, seats_open: int, offered: bool
) -> None:
    state = replace(OPEN, waiting=waiting, seats_open=seats_open)
    assert (C.OFFER_NEXT_SEAT in course_moves.allowed_moves(state)) is offered


def test_a_course_without_an_end_has_ended_once_it_has_started() -> None:
    assert not has_ended(starts_at=NOW + timedelta(days=1), ends_at=None, now=NOW)
    assert has_ended(starts_at=NOW - timedelta(days=1), ends_at=None, now=NOW)
    assert not has_ended(
        starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=30), now=NOW
    )
    assert has_ended(starts_at=NOW - timedelta(days=9), ends_at=NOW - timedelta(days=1), now=NOW)


def test_every_course_move_the_page_omits_has_a_refusal_to_show() -> None:
    for state in (OPEN, replace(OPEN, is_published=False, ended=True, seats_open=0)):
        offered = course_moves.allowed_moves(state)
        for move in C:
            assert (move in offered) is (course_moves.refusal(move, state) is None)


# ---- waitlist entry -------------------------------------------------------------------

NEXT = WaitlistEntryState(status=WaitlistStatus.WAITING, is_next=True, seats_open=1)


def test_the_seat_is_offered_to_the_next_waiting_student_while_a_seat_is_free() -> None:
    assert waitlist_moves.allowed_moves(NEXT) == [W.OFFER_SEAT, W.MOVE, W.REMOVE]
    assert W.OFFER_SEAT not in waitlist_moves.allowed_moves(replace(NEXT, seats_open=0))
    behind = replace(NEXT, is_next=False)
    assert waitlist_moves.allowed_moves(behind) == [W.MOVE, W.REMOVE]
    assert "ahead in line" in (waitlist_moves.refusal(W.OFFER_SEAT, behind) or "")
    assert W.OFFER_SEAT not in waitlist_moves.allowed_moves(replace(NEXT, course_ended=True))


def test_an_offered_student_is_not_offered_again_but_may_still_be_moved_or_removed() -> None:
    offered = replace(NEXT, status=WaitlistStatus.OFFERED)
    assert waitlist_moves.allowed_moves(offered) == [W.MOVE, W.REMOVE]


@pytest.mark.parametrize(
    "status",
    [
        WaitlistStatus.CLAIMED,
        WaitlistStatus.DECLINED,
        WaitlistStatus.EXPIRED,
        WaitlistStatus.REMOVED,
    ],
)
def test_a_student_who_left_the_line_has_no_moves(status: str) -> None:
    left = replace(NEXT, status=status)
    assert waitlist_moves.allowed_moves(left) == []
    assert waitlist_moves.refusal(W.REMOVE, left) == "This student has already left the waitlist."


def test_removing_from_the_waitlist_is_the_destructive_move() -> None:
    assert {W.REMOVE} == waitlist_moves.DESTRUCTIVE


# ---- student, session, staff ------------------------------------------------------------


def test_a_profile_link_is_sent_only_to_a_student_with_an_email() -> None:
    assert student_moves.allowed_moves(StudentState(has_email=True)) == [
        P.REGISTER,
        P.CLASSIFY,
        P.SEND_PROFILE_LINK,
        P.ERASE,
    ]
    without = StudentState(has_email=False)
    assert student_moves.allowed_moves(without) == [P.REGISTER, P.CLASSIFY, P.ERASE]
    assert "no email address" in (student_moves.refusal(P.SEND_PROFILE_LINK, without) or "")


def test_an_erased_student_is_not_offered_erasure_or_registration_again() -> None:
    erased = StudentState(has_email=False, erased=True)
    assert student_moves.allowed_moves(erased) == [P.CLASSIFY]
    assert "add them again" in (student_moves.refusal(P.REGISTER, erased) or "")
    assert student_moves.refusal(P.ERASE, erased) == (
        "This student's personal data is already erased."
    )
    assert {P.ERASE} == student_moves.DESTRUCTIVE


def test_a_session_roster_is_emailed_only_when_someone_is_on_it() -> None:
    assert session_moves.allowed_moves(SessionState(on_roster=4)) == [
        S.ROLL_CALL,
        S.SIGN_IN_SHEET,
        S.EMAIL_ROSTER,
        S.CHANGE,
    ]
    assert session_moves.allowed_moves(SessionState(on_roster=0)) == [
        S.ROLL_CALL,
        S.SIGN_IN_SHEET,
        S.CHANGE,
    ]


def test_only_a_session_to_come_and_not_cancelled_may_be_moved_or_cancelled() -> None:
    started = SessionState(on_roster=4, has_started=True)
    assert S.CHANGE not in session_moves.allowed_moves(started)
    assert session_moves.refusal(S.CHANGE, started) == (
        "This session has already started; a past session cannot be moved or cancelled."
    )
    cancelled = SessionState(on_roster=4, cancelled=True)
    assert session_moves.refusal(S.CHANGE, cancelled) == "This session is cancelled."


def test_an_active_account_may_be_reset_or_deactivated_but_not_ones_own() -> None:
    active = StaffState(is_active=True, is_self=False)
    assert staff_moves.allowed_moves(active) == [A.RESET_PASSWORD, A.DEACTIVATE]
    own = StaffState(is_active=True, is_self=True)
    assert staff_moves.allowed_moves(own) == [A.RESET_PASSWORD]
    assert staff_moves.refusal(A.DEACTIVATE, own) == "You cannot deactivate your own account."
    assert staff_moves.allowed_moves(StaffState(is_active=False, is_self=False)) == []
    assert {A.DEACTIVATE} == staff_moves.DESTRUCTIVE
