"""Demo courses: a teacher workshop series and a dance studio's classes, with slots,
prices and the class sessions they meet in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.enums import CourseKind, DifficultyLevel, PricingType, StudentType
from domain.model import ClassSession, Course, CourseSlot, Price

STUDIO = "Riverside Dance Studio, 12 Mill Street"
WORKSHOP_TOPICS = (
    "Movement Breaks That Calm a Class",
    "Rhythm Games for Maths",
    "Dance Across the Curriculum",
    "Inclusive Movement for Every Body",
    "Building a School Showcase",
    "Playground Dances and Circle Games",
)


@dataclass(frozen=True)
class SlotPlan:
    name: str
    level: str
    day_of_week: int
    start: time
    end: time
    capacity: int | None = None
    full_package: Decimal | None = None
    drop_in: Decimal | None = None


@dataclass
class DemoCourses:
    #: The teacher-training series: one dated session each, free.
    workshops: list[Course] = field(default_factory=list)
    salsa: Course | None = None  # two weekly slots, half held so far
    bachata: Course | None = None  # full, with a waitlist
    swing: Course | None = None  # finished last season
    hiphop: Course | None = None  # drop-in only
    crew: Course | None = None  # crew members only
    contemporary: Course | None = None  # upcoming, bookable
    ballroom: Course | None = None  # a draft, not published


def build_courses(session: Session, rng: random.Random, now: datetime) -> DemoCourses:
    today = now.date()
    made = DemoCourses()
    for number, (offset, topic) in enumerate(
        zip((-70, -42, -14, 14, 42, 70), WORKSHOP_TOPICS, strict=True), start=1
    ):
        course = _new(
            f"Movement in the Classroom {number}: {topic}",
            CourseKind.WORKSHOP,
            capacity=30,
            instructor="Dr. Lena Fischer",
            location="District Training Centre, Room 4",
            description="A two-hour after-school workshop for teachers: practical "
            "movement activities you can use in class the next morning.",
        )
        _dated(course, [today + timedelta(days=offset)], time(15, 30), time(17, 30), "Workshop")
        # Schools sign their teachers up for these on /signup/; the dance classes are not.
        course.open_to_school_signup = True
        made.workshops.append(course)
    beginner, improver = DifficultyLevel.BEGINNER, DifficultyLevel.INTERMEDIATE
    made.salsa = _new(
        "Salsa Foundations - 8-week series",
        CourseKind.SERIES,
        capacity=24,
        instructor="Mateo Garcia",
        description="Two classes a week: technique on Tuesdays, partnering on Thursdays. "
        "Book the whole series or drop in to single classes.",
    )
    _weekly(
        made.salsa,
        today - timedelta(days=28),
        8,
        [
            SlotPlan("Tuesday technique", beginner, 1, time(19), time(20), 24,
                     Decimal("80.00"), Decimal("15.00")),
            SlotPlan("Thursday partnering", beginner, 3, time(19), time(20, 15), 20,
                     Decimal("80.00"), Decimal("15.00")),
        ],
    )  # fmt: skip
    made.bachata = _new(
        "Bachata Level 1",
        CourseKind.SERIES,
        capacity=12,
        instructor="Rosa Torres",
        description="Six Wednesdays of bachata basics. Small class: it fills fast.",
    )
    _weekly(
        made.bachata,
        today + timedelta(days=10),
        6,
        [SlotPlan("Wednesday class", beginner, 2, time(20), time(21), None,
                  Decimal("90.00"), Decimal("18.00"))],
    )  # fmt: skip
    made.swing = _new(
        "Winter Swing Series",
        CourseKind.SERIES,
        capacity=20,
        instructor="Felix Walsh",
        description="Lindy hop from the first swing-out to a social dance.",
    )
    _weekly(
        made.swing,
        today - timedelta(days=110),
        6,
        [SlotPlan("Monday class", improver, 0, time(19, 30), time(21), None,
                  Decimal("75.00"), Decimal("15.00"))],
    )  # fmt: skip
    made.hiphop = _new(
        "Open-Level Hip-Hop Drop-in",
        CourseKind.DROP_IN,
        capacity=25,
        instructor="Kofi Mensah",
        description="Come when you can: pay per class.",
    )
    _weekly(
        made.hiphop,
        today - timedelta(days=21),
        8,
        [SlotPlan("Friday class", DifficultyLevel.ALL_LEVELS, 4, time(18, 30), time(19, 30),
                  None, None, Decimal("20.00"))],
    )  # fmt: skip
    made.crew = _new(
        "Performance Crew Practice - Spring Showcase",
        CourseKind.CREW_PRACTICE,
        capacity=30,
        instructor="Amara Okafor",
        description="Rehearsals for the spring showcase. Crew members only.",
    )
    made.crew.required_student_type = StudentType.CREW_MEMBER
    _dated(
        made.crew,
        [today + timedelta(days=d) for d in (-20, -6, 8, 22)],
        time(14),
        time(16, 30),
        "Rehearsal",
    )
    made.contemporary = _new(
        "Contemporary Technique - Intermediate",
        CourseKind.SERIES,
        capacity=16,
        instructor="Iris Moreau",
        description="Floor work, release technique and a short piece to finish.",
    )
    _weekly(
        made.contemporary,
        today + timedelta(days=20),
        6,
        [SlotPlan("Monday class", improver, 0, time(18), time(19, 30), None,
                  Decimal("110.00"), Decimal("22.00"))],
    )  # fmt: skip
    made.ballroom = _new(
        "Ballroom Basics for Couples",
        CourseKind.SERIES,
        capacity=10,
        instructor="Hugo Novak",
        description="Waltz and foxtrot for couples; book as two students.",
    )
    made.ballroom.is_published = False
    made.ballroom.comment = "Draft: waiting for the hall booking to be confirmed."
    _weekly(
        made.ballroom,
        today + timedelta(days=45),
        4,
        [SlotPlan("Saturday class", beginner, 5, time(11), time(12), None,
                  Decimal("120.00"), None)],
    )  # fmt: skip
    courses = [*made.workshops, made.salsa, made.bachata, made.swing, made.hiphop]
    courses += [made.crew, made.contemporary, made.ballroom]
    for course in courses:
        _finish(course, now)
    session.add_all(courses)
    return made


def session_start(class_session: ClassSession) -> datetime:
    return datetime.combine(class_session.session_date, class_session.start_time or time(0), UTC)


def package_price(course: Course) -> Decimal:
    """Every registrant attends every slot, so the package is the slots' prices together."""
    return sum(
        (p.amount for s in course.slots for p in s.prices if p.pricing_type == "full_package"),
        Decimal("0.00"),
    )


def drop_in_price(class_session: ClassSession) -> Decimal:
    slot = class_session.slot
    prices = [p.amount for p in (slot.prices if slot else []) if p.pricing_type == "drop_in"]
    return prices[0] if prices else Decimal("0.00")


def _new(title: str, kind: str, *, capacity: int, instructor: str, description: str,
         location: str = STUDIO) -> Course:  # fmt: skip
    placeholder = datetime(2000, 1, 1, tzinfo=UTC)  # replaced by _finish
    return Course(
        title=title,
        kind=kind,
        capacity=capacity,
        instructor=instructor,
        description=description,
        location=location,
        starts_at=placeholder,
        is_published=True,
    )


def _weekly(course: Course, first_day: date, weeks: int, plans: list[SlotPlan]) -> None:
    for plan in plans:
        slot = CourseSlot(
            name=plan.name,
            difficulty_level=plan.level,
            day_of_week=plan.day_of_week,
            start_time=plan.start,
            end_time=plan.end,
            location=course.location,
            capacity=plan.capacity,
        )
        for pricing_type, amount in (
            (PricingType.FULL_PACKAGE, plan.full_package),
            (PricingType.DROP_IN, plan.drop_in),
        ):
            if amount is not None:
                slot.prices.append(Price(pricing_type=pricing_type, amount=amount))
        course.slots.append(slot)
        first = first_day + timedelta(days=(plan.day_of_week - first_day.weekday()) % 7)
        for week in range(weeks):
            course.sessions.append(
                ClassSession(
                    slot=slot,
                    session_date=first + timedelta(weeks=week),
                    start_time=plan.start,
                    end_time=plan.end,
                    location=course.location,
                )
            )


def _dated(course: Course, days: list[date], start: time, end: time, name: str) -> None:
    for number, day in enumerate(days, start=1):
        slot = CourseSlot(
            name=f"{name} {number}" if len(days) > 1 else name,
            practice_date=day,
            start_time=start,
            end_time=end,
            location=course.location,
        )
        course.slots.append(slot)
        course.sessions.append(
            ClassSession(
                slot=slot, session_date=day, start_time=start, end_time=end,
                location=course.location,
            )
        )  # fmt: skip


def _finish(course: Course, now: datetime) -> None:
    course.sessions.sort(key=session_start)
    first, last = course.sessions[0], course.sessions[-1]
    course.starts_at = session_start(first)
    course.ends_at = datetime.combine(last.session_date, last.end_time or time(23, 59), UTC)
    course.created_at = min(course.starts_at, now) - timedelta(days=45)
    course.updated_at = course.created_at
