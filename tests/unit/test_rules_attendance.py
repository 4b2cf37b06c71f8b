"""Attendance marks, completion and who counts as trained."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.enums import AttendanceStatus
from domain.errors import ValidationError
from domain.rules.attendance import (
    average,
    completion,
    is_trained,
    parse_marks,
    roster_sort_key,
    session_stats_from,
)


def test_session_stats_count_each_mark_and_the_unmarked() -> None:
    stats = session_stats_from(["present", "late", None, "absent", "present", None])
    assert (stats.total, stats.present, stats.absent, stats.late, stats.unmarked) == (6, 2, 1, 1, 2)
    assert stats.attended == 3


def test_completion_is_attended_over_held() -> None:
    assert completion(3, 4) == Decimal("0.75")
    assert completion(2, 3) == Decimal("0.6667")


def test_completion_is_zero_before_any_session_is_held() -> None:
    assert completion(0, 0) == Decimal(0)


def test_completion_never_exceeds_one() -> None:
    assert completion(5, 4) == Decimal(1)


def test_trained_when_completion_reaches_the_threshold() -> None:
    assert is_trained(4, 4, 100)
    assert not is_trained(3, 4, 100)
    assert is_trained(3, 4, 75)


def test_two_of_three_sessions_is_not_rounded_up_to_a_67_percent_threshold() -> None:
    assert not is_trained(2, 3, 67)
    assert is_trained(2, 3, 66)


def test_nobody_is_trained_before_a_session_is_held() -> None:
    assert not is_trained(0, 0, 1)


def test_average_completion_of_nobody_is_zero() -> None:
    assert average([]) == Decimal(0)
    assert average([Decimal(1), Decimal("0.5")]) == Decimal("0.75")


def test_marks_for_students_not_on_the_roster_are_refused() -> None:
    with pytest.raises(ValidationError, match="#9 is not on this session's roster"):
        parse_marks({1: "present", 9: "present"}, [1, 2])


def test_unknown_mark_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(ValidationError, match="present, absent or late"):
        parse_marks({1: "asleep"}, [1])


def test_marks_are_parsed_and_none_clears() -> None:
    assert parse_marks({1: "late", 2: None}, [1, 2]) == {1: AttendanceStatus.LATE, 2: None}


def test_roster_groups_by_school_with_students_without_a_school_last() -> None:
    people = [
        ("", "Zed", "Al"),
        ("Oak High", "Brown", "Bo"),
        ("elm school", "Ames", "Cy"),
        ("Oak High", "Adams", "Di"),
    ]
    ordered = sorted(people, key=lambda p: roster_sort_key(*p))
    assert [p[2] for p in ordered] == ["Cy", "Di", "Bo", "Al"]
