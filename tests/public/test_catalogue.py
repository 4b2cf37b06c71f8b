"""The catalogue at / and the course pages: what the public sees of each course."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from starlette.testclient import TestClient

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import StudentType
from domain.services.registration import StudentDetails, register_student
from public_site.app import create_public_app
from tests.public.conftest import make_config
from tests.public.factories import make_course


def test_catalogue_cards_show_kind_level_lowest_price_seats_and_a_book_button(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(
        db, title="Salsa Beginners", capacity=12, drop_in_price=Decimal("25.00"), sessions=True
    )
    card = _card(client.get("/").text, "Salsa Beginners")
    assert '<span class="badge kind-badge">Series</span>' in card
    assert "Beginner" in card
    # The lowest price on sale: a $25.00 drop-in beats the $120.00 full course.
    assert "from $25.00" in card and "$120.00" not in card
    assert "12 seats left" in card
    assert f'href="/courses/{course_id}#book">Book<' in card
    # The schedule is on the course page, not the card.
    assert "Evening class" not in card
    page = client.get(f"/courses/{course_id}").text
    assert "Evening class" in page and "18:00\u201319:30" in page
    assert "Full course: $120.00" in page and "Drop-in: $25.00 per class" in page


def _card(page: str, title: str) -> str:
    """The catalogue card of the course called ``title``."""
    for card in page.split('<li class="card course-card">')[1:]:
        if f">{title}</a>" in card:
            return card.split("</li>")[0]
    raise AssertionError(f"no card for {title}")


def test_catalogue_hides_unpublished_past_and_crew_only_courses(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Draft course", published=False)
    make_course(db, title="Last month's course", starts_in=timedelta(days=-30))
    make_course(db, title="Crew rehearsal", required_student_type=StudentType.CREW_MEMBER)
    make_course(db, title="Open course")
    text = client.get("/").text
    assert "Open course" in text
    for hidden in ("Draft course", "Last month", "Crew rehearsal"):
        assert hidden not in text


def test_full_course_says_full_and_offers_the_waitlist(client: TestClient, db: Database) -> None:
    course_id = make_course(db, title="Tiny class", capacity=1)
    register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    card = _card(client.get("/").text, "Tiny class")
    assert "Full" in card and f'href="/courses/{course_id}#book">Join waitlist<' in card
    page = client.get(f"/courses/{course_id}")
    assert "Join the waitlist" in page.text
    assert f'action="/courses/{course_id}/waitlist"' in page.text


def test_course_page_shows_the_booking_form_with_labels(client: TestClient, db: Database) -> None:
    course_id = make_course(db, title="Bachata")
    page = client.get(f"/courses/{course_id}")
    assert page.status_code == 200
    assert "<h1>Bachata</h1>" in page.text
    for field in ("email", "first_name", "last_name", "phone", "experience"):
        assert f'for="{field}"' in page.text


def test_unpublished_course_page_is_a_friendly_not_found(client: TestClient, db: Database) -> None:
    course_id = make_course(db, published=False)
    page = client.get(f"/courses/{course_id}")
    assert page.status_code == 404
    assert "not open for booking" in page.text
    assert client.get("/courses/999999").status_code == 404


def test_course_titles_are_escaped_in_pages(client: TestClient, db: Database) -> None:
    make_course(db, title="<script>alert(1)</script> Tango")
    text = client.get("/").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tango" in text


def test_pages_load_the_admin_tabler_stylesheet_from_this_site_only(
    client: TestClient, db: Database
) -> None:
    text = client.get("/").text
    assert re.search(r'href="/static/tabler/css/tabler\.min\.css\?v=\w+"', text)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    css = client.get("/static/tabler/css/tabler.min.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert client.get("/static/site/site.css").status_code == 200


def test_health_is_ok_when_the_database_answers(client: TestClient, db: Database) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_health_is_503_when_the_database_is_down(tmp_path: Path) -> None:
    down = Database("postgresql+psycopg://nobody:nothing@127.0.0.1:1/none")
    app = create_public_app(make_config(tmp_path), down)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 503
    down.dispose()
