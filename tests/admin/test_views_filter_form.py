"""A list's filters are one GET form with one Apply button and a Clear link, keeping the
search and the sort (issue 12, point 9)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

from domain.db.database import Database
from domain.enums import PaymentStatus
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, add_school, add_student, listed, register

REGISTRATION_FILTERS = [
    "course_id",
    "school_id",
    "payment_status",
    "pricing_type",
    "student_type",
    "state",
    "signed_up_since",
    "signed_up_until",
]
_FORM = re.compile(r'<form method="get"[^>]*id="list-filters".*?</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_FIELD = re.compile(r'<(?:select|input type="date") name="([^"]+)"')
_OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]+)</option>')


def filter_sidebar(page: str) -> str:
    return page.split('id="filter-sidebar"')[1]


def test_every_filter_of_a_list_is_in_one_form_with_one_apply_button(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    add_school(db, "Hill")
    query = (
        f"?search=ada&sortBy=amount_due&sort=desc&pageSize=50"
        f"&course_id={tango.id}&payment_status=pending"
    )
    sidebar = filter_sidebar(staff_client.get(f"/admin/registration/list{query}").text)
    assert sidebar.count("<form") == 1
    (form,) = _FORM.findall(sidebar)
    # Each filter is a field of this form; no filter is a link or a form of its own.
    assert _FIELD.findall(form) == REGISTRATION_FILTERS
    assert "?course_id=" not in sidebar
    assert form.count('type="submit"') == 1
    assert re.search(r'<button type="submit"[^>]*>Apply</button>', form)
    # The search, sort and page size travel along; the filters are the form's own fields.
    assert dict(_HIDDEN.findall(form)) == {
        "search": "ada",
        "sortBy": "amount_due",
        "sort": "desc",
        "pageSize": "50",
    }
    course_field = form.split('name="course_id"')[1].split("</select>")[0]
    assert [(value, text) for value, _, text in _OPTION.findall(course_field)] == [
        ("", "All"),
        (str(salsa.id), "Salsa"),
        (str(tango.id), "Tango"),
    ]
    assert [text for _, chosen, text in _OPTION.findall(course_field) if chosen] == ["Tango"]
    payment_field = form.split('name="payment_status"')[1].split("</select>")[0]
    assert [text for _, chosen, text in _OPTION.findall(payment_field) if chosen] == ["Pending"]
    # Each field has its title as a label.
    assert '<label class="form-label fw-bold" for="filter-course_id">Course</label>' in form


def test_clear_removes_the_filters_and_keeps_the_search_and_sort(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Tango")
    page = staff_client.get(
        f"/admin/registration/list?search=ada&sortBy=amount_due&sort=desc"
        f"&course_id={course.id}&payment_status=pending&signed_up_since=2026-01-01"
    ).text
    clear = re.search(r'<a href="([^"]+)">Clear</a>', filter_sidebar(page))
    assert clear, "a Clear link while filters are set"
    target = urlsplit(html.unescape(clear.group(1)))
    assert target.path == "/admin/registration/list"
    assert dict(parse_qsl(target.query)) == {
        "search": "ada",
        "sortBy": "amount_due",
        "sort": "desc",
    }
    # Nothing to clear: no link, and the phone's Filters button counts nothing.
    unfiltered = filter_sidebar(staff_client.get("/admin/registration/list?search=ada").text)
    assert ">Clear</a>" not in unfiltered
    assert "(3 applied)" in filter_sidebar(page)
    assert "applied)" not in unfiltered


def test_the_form_as_a_browser_sends_it_filters_by_the_fields_set_and_all_for_the_rest(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    ada, bo = add_student(db, "Ada"), add_student(db, "Bo")
    register(db, ada, salsa, payment_status=PaymentStatus.COMPLETED)
    wanted = register(db, bo, salsa)
    register(db, ada, tango)
    # Without JavaScript every field is sent; "All" and an empty date send "".
    sent = "&".join(
        f"{name}={value}"
        for name, value in {
            "course_id": salsa.id,
            "school_id": "",
            "payment_status": "pending",
            "pricing_type": "",
            "student_type": "",
            "state": "",
            "signed_up_since": "",
            "signed_up_until": "",
        }.items()
    )
    assert listed(staff_client, "registration", f"?{sent}") == [wanted.id]
