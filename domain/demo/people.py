"""Demo staff, schools with their contact history, teachers and dancers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.enums import StudentType
from domain.model import ContactLog, School, StaffUser, Student

FIRST_NAMES = (
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Jade",
    "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tara",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego",
    "Esther", "Felix", "Grace", "Hugo", "Iris", "Jonah", "Keiko", "Liam", "Maya", "Noah",
    "Olivia", "Pablo", "Ruth", "Sofia", "Theo", "Valentina", "Will", "Yara", "Zain", "Nora",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baptiste", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Johnson", "Kowalski", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Quint", "Rossi",
    "Singh", "Torres", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang", "Brooks", "Cohen",
    "Duarte", "Evans", "Flores", "Gupta", "Hughes", "Kim", "Moreau", "Novak", "Reyes", "Silva",
)  # fmt: skip
SCHOOL_NAMES = (
    "Lincoln Elementary", "Oak Ridge Middle School", "Riverside Primary", "Maple Grove Academy",
    "Cedar Hill Elementary", "Jefferson High School", "Willow Creek Primary",
    "Brookside Middle School", "Hillcrest Elementary", "Summit Charter School",
    "Pine Valley Elementary", "Harbor View Middle School", "Eastside Community School",
    "Meadowbrook Primary", "Northgate High School", "Sunnyvale Elementary",
    "Lakeshore Academy", "Franklin Middle School", "Greenfield Primary", "Westwood Elementary",
    "St. Mary's School", "Roosevelt High School", "Fairview Primary", "Kingsley Montessori",
)  # fmt: skip
TOWNS = ("Springfield", "Riverton", "Lakeside", "Fairview", "Milltown", "Georgetown", "Ashby")
TEACHER_TITLES = (
    "Kindergarten teacher", "1st grade teacher", "2nd grade teacher", "3rd grade teacher",
    "4th grade teacher", "PE teacher", "Music teacher", "Art teacher", "Teaching assistant",
    "Special education teacher", "Assistant principal", "School counsellor",
)  # fmt: skip
CONTACT_NOTES = (
    "Called the principal about the spring workshops; interested, wants dates by email.",
    "Sent the workshop flyer and sign-up link.",
    "Met at the district fair. Six teachers want the movement-breaks session.",
    "Left a voicemail; no answer yet.",
    "Principal confirmed the staff development day; asked for an after-school slot.",
    "Emailed the sign-up link again; two new teachers joined this term.",
    "Follow-up call: last workshop went well, they want the advanced one.",
    "Budget freeze this year; try again in the autumn.",
)  # fmt: skip
EXPERIENCE = (
    "", "Total beginner.", "Some salsa at weddings.", "Two years of ballet as a child.",
    "Hip-hop classes at college.", "Social dancer, five years.", "Competed in swing.",
    "Contemporary and jazz, intermediate level.", "Former gymnast.",
)  # fmt: skip
STAFF = (
    ("maria", "Maria Lopez", "maria@example.org"),
    ("james", "James Okafor", "james@example.org"),
    ("priya", "Priya Patel", "priya@example.org"),
)


@dataclass
class DemoPeople:
    staff: list[StaffUser] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    #: Teachers by school (students with a school).
    teachers: list[Student] = field(default_factory=list)
    #: Dance students: general ones (classified or not) and crew members.
    dancers: list[Student] = field(default_factory=list)
    crew: list[Student] = field(default_factory=list)


def build_people(session: Session, rng: random.Random, now: datetime) -> DemoPeople:
    people = DemoPeople()
    emails: set[str] = set()
    for username, full_name, email in STAFF:
        # No password: a superuser sets one (or the account stays a name in the history).
        user = StaffUser(
            username=username,
            full_name=full_name,
            email=email,
            created_at=now - timedelta(days=400),
            updated_at=now - timedelta(days=400),
        )
        people.staff.append(user)
    session.add_all(people.staff)
    for name in SCHOOL_NAMES:
        school = _school(rng, now, name, people.staff)
        people.schools.append(school)
        for _ in range(rng.randint(4, 8)):
            teacher = _person(rng, now, emails, domain=_domain(name), email_chance=0.85)
            teacher.title = rng.choice(TEACHER_TITLES)
            teacher.school = school
            teacher.admin_classified = True
            people.teachers.append(teacher)
    session.add_all(people.schools)
    for number in range(120):
        dancer = _person(rng, now, emails, domain="example.com", email_chance=1.0)
        dancer.experience = rng.choice(EXPERIENCE)
        dancer.emergency_contact = f"{rng.choice(FIRST_NAMES)} {dancer.last_name}, {_phone(rng)}"
        dancer.profile_complete = rng.random() < 0.8
        if number < 28:
            dancer.student_type = StudentType.CREW_MEMBER
            dancer.admin_classified = True
            people.crew.append(dancer)
        else:
            # About a quarter are waiting for staff to classify them; a few of
            # those said they are crew, which does not count until confirmed.
            dancer.admin_classified = rng.random() < 0.75
            if not dancer.admin_classified and rng.random() < 0.3:
                dancer.student_type = StudentType.CREW_MEMBER
            people.dancers.append(dancer)
    session.add_all(people.teachers + people.crew + people.dancers)
    return people


def _school(rng: random.Random, now: datetime, name: str, staff: list[StaffUser]) -> School:
    contact_first, contact_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    created = now - timedelta(days=rng.randint(200, 700))
    school = School(
        name=name,
        location=f"{rng.randint(10, 999)} {rng.choice(LAST_NAMES)} Road, {rng.choice(TOWNS)}",
        contact_name=f"{contact_first} {contact_last}",
        contact_email=f"{contact_first.lower()}.{contact_last.lower()}@{_domain(name)}",
        contact_phone=_phone(rng),
        comments=rng.choice(("", "", "Prefers email.", "Parking behind the gym.")),
        created_at=created,
        updated_at=created,
    )
    for _ in range(rng.randint(1, 5)):
        when = now - timedelta(days=rng.randint(1, 190), hours=rng.randint(0, 8))
        school.contact_history.append(
            ContactLog(
                staff_user=rng.choice(staff),
                contacted_at=when,
                comment=rng.choice(CONTACT_NOTES),
                created_at=when,
            )
        )
    return school


def _person(
    rng: random.Random, now: datetime, emails: set[str], *, domain: str, email_chance: float
) -> Student:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email: str | None = None
    if rng.random() < email_chance:
        base = f"{first}.{last}".lower()
        email, n = f"{base}@{domain}", 1
        while email in emails:
            n += 1
            email = f"{base}{n}@{domain}"
        emails.add(email)
    created = now - timedelta(days=rng.randint(30, 500), minutes=rng.randint(0, 1440))
    return Student(
        email=email,
        first_name=first,
        last_name=last,
        phone=_phone(rng) if rng.random() < 0.7 else "",
        created_at=created,
        updated_at=created,
    )


def _domain(school_name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in school_name.lower()).strip("-")
    return f"{slug.replace('--', '-')}.example.org"


def _phone(rng: random.Random) -> str:
    return f"(555) 01{rng.randint(0, 9)}-{rng.randint(1000, 9999)}"
