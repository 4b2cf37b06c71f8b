"""The public forms: what a visitor may send, checked before anything reaches the database.

Lengths match the columns (SQLite would store anything); names and addresses
must be one line without control characters (they end up in email headers and
spreadsheets). Fields not declared here are ignored, so nothing a visitor sends
sets a price, a status, an id or a student type.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markupsafe import Markup
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import Select, html_params

from domain.enums import PricingType
from domain.rules.identifiers import parse_id
from domain.services.school_signup import MAX_PARTICIPANTS as MAX_PARTICIPANTS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINE_BREAKS = "\u2028\u2029\u0085"
BLANK_PARTICIPANT_ROWS = 3


def _has_control_chars(text: str, *, allow_newlines: bool) -> bool:
    for char in text:
        if allow_newlines and char in "\r\n\t":
            continue
        if unicodedata.category(char) == "Cc" or char in _LINE_BREAKS:
            return True
    return False


def single_line(_form: Form, field: Field) -> None:
    """Names and addresses: no line breaks or control characters."""
    if isinstance(field.data, str) and _has_control_chars(field.data, allow_newlines=False):
        raise ValidationError("Please use a single line without special control characters.")


def plain_text(_form: Form, field: Field) -> None:
    """Free text may have line breaks, but no other control characters."""
    if isinstance(field.data, str) and _has_control_chars(field.data, allow_newlines=True):
        raise ValidationError("Please remove the special control characters.")


def email_address(_form: Form, field: Field) -> None:
    if field.data and not _EMAIL.match(field.data):
        raise ValidationError("Please enter an email address such as name@example.com.")


def _max(length: int) -> Length:
    return Length(max=length, message=f"Please use at most {length} characters.")


def _row_id(value: Any) -> int | None:
    """A chosen row's id; anything else is no choice (a number PostgreSQL cannot
    hold would fail the query), which the form then asks the visitor to make."""
    return value if isinstance(value, int) else parse_id(str(value))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _line(label: str, max_length: int, *, required: bool = False, **kwargs: Any) -> StringField:
    first = DataRequired(f"Please enter your {label.lower()}.") if required else Optional()
    return StringField(
        label,
        validators=[first, _max(max_length), single_line],
        filters=[_strip],
        **kwargs,
    )


def _email(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired("Please enter an email address."),
            _max(254),
            single_line,
            email_address,
        ],
        filters=[_lower],
    )


class GroupedSelect(Select):
    """A select whose choices come in labelled groups (``<optgroup>``), where a group
    labelled "" stands first without one: the "Choose …" choice before the groups."""

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        if not field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, choices in field.iter_groups():
            options: list[str] = [self.render_option(*c[:3], **c[3]) for c in choices]
            if group:
                options = [f"<optgroup {html_params(label=group)}>", *options, "</optgroup>"]
            html += options
        html.append("</select>")
        return Markup("".join(html))


class ProfileForm(Form):
    """What a student tells us about themselves (seed 003 profile fields)."""

    first_name = _line("First name", 100, required=True)
    last_name = _line("Last name", 100)
    phone = _line("Phone", 50)
    emergency_contact = _line("Emergency contact (name and phone)", 255)
    experience = TextAreaField(
        "Dance experience",
        validators=[Optional(), _max(2000), plain_text],
        filters=[_strip],
    )


class EmailForm(Form):
    email = _email("Email")


class StudentForm(ProfileForm):
    """A student books a course (or joins its waitlist): email first, then about them."""

    email = _email("Email")
    pricing_type = RadioField(
        "What would you like to book?",
        choices=[
            (PricingType.FULL_PACKAGE.value, "The full course"),
            (PricingType.DROP_IN.value, "One class (drop-in)"),
        ],
        default=PricingType.FULL_PACKAGE.value,
        validators=[Optional()],
    )
    # No Optional(): it would end the checks on an empty choice ("Choose a class"),
    # before validate_drop_in_session asks a drop-in for its class.
    drop_in_session = SelectField(
        "Which class?", coerce=_row_id, choices=[], validate_choice=False, widget=GroupedSelect()
    )
    special_requests = TextAreaField(
        "Anything we should know?",
        validators=[Optional(), _max(1000), plain_text],
        filters=[_strip],
    )

    def validate_drop_in_session(self, field: SelectField) -> None:
        if self.pricing_type.data != PricingType.DROP_IN:
            return
        valid = {choice[0] for choice in field.iter_choices()}
        if field.data not in valid:
            raise ValidationError("Please choose the class you want to drop in to.")


class BookingSubmission(StudentForm):
    """The booking form as posted, checked without loading the course.

    Which options the course offers, whether the class belongs to it and still has
    seats is the domain's to say (``register_student``); on any refusal the course
    page is built again with the offered choices. Loading it for every booking
    cost a third of a booking's database work.
    """

    def validate_drop_in_session(self, field: SelectField) -> None:
        if self.pricing_type.data == PricingType.DROP_IN and not isinstance(field.data, int):
            raise ValidationError("Please choose the class you want to drop in to.")


class ParticipantForm(Form):
    name = _line("Participant name", 200)
    title = _line("Job title or role", 255)


class SchoolSignupForm(Form):
    """A school signs up its participants for a course (seed 000 §4.3)."""

    # The first choice is an empty "Choose a course": nothing is chosen for the visitor.
    course = SelectField(
        "Course",
        coerce=lambda value: value if isinstance(value, int) else parse_id(str(value or "")),
        choices=[],
        validators=[DataRequired("Please choose a course.")],
    )
    school_choice = RadioField(
        "Is your school registered with us?",
        choices=[
            ("existing", "My school is already registered"),
            ("new", "My school is not listed"),
        ],
        default="existing",
        validators=[DataRequired("Please say whether your school is new.")],
    )
    school_name = _line("School name", 255, required=True)
    school_id = HiddenField(filters=[_strip])
    location = _line("School location", 255)
    contact_name = _line("Contact name", 255)
    contact_email = StringField(
        "Contact email",
        validators=[Optional(), _max(254), single_line, email_address],
        filters=[_lower],
    )
    contact_phone = _line("Contact phone", 50)
    # Every posted row is read (Starlette reads at most 1,000 fields), so a list
    # longer than MAX_PARTICIPANTS is refused by sign_up_school, not cut short.
    participants = FieldList(FormField(ParticipantForm), min_entries=BLANK_PARTICIPANT_ROWS)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.school_choice.data != "new":
            return valid
        # Optional() ends a field's checks when it is empty, so these go here.
        for field, what in (
            (self.location, "the school's location"),
            (self.contact_name, "a contact name"),
            (self.contact_email, "a contact email"),
        ):
            if not field.data:
                field.errors = [*field.errors, f"Please enter {what} for the new school."]
                valid = False
        return valid

    def validate_participants(self, field: FieldList[FormField[ParticipantForm]]) -> None:
        if not self.participant_rows():
            raise ValidationError("Please enter at least one participant's name.")
        for row in field.entries:
            if row.form.title.data and not row.form.name.data:
                raise ValidationError("Each participant with a title needs a name too.")

    def participant_rows(self) -> list[tuple[str, str]]:
        """(name, title) of every filled-in row; blank rows are left out."""
        return [
            (row.form.name.data, row.form.title.data or "")
            for row in self.participants.entries
            if row.form.name.data
        ]

    def chosen_school_id(self) -> int | None:
        return parse_id(self.school_id.data or "")
