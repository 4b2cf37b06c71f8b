"""The system settings: their types, defaults and descriptions, and how values are checked."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.errors import SettingError, ValidationError
from domain.formatting import CURRENCY_SYMBOLS
from domain.rules.contact_details import normalise_email

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


@dataclass(frozen=True)
class Settings:
    """Typed settings; every field is a key in the settings table."""

    payment_hold_hours: int = 72
    unpaid_bookings_per_address: int = 4
    offer_hours: int = 48
    automatic_offers: bool = True
    completion_threshold_percent: int = 100
    registration_open: bool = True
    venmo_handle: str = ""
    zelle_recipient_name: str = ""
    zelle_phone: str = ""
    emails_enabled: bool = True
    timezone: str = "UTC"
    organisation_name: str = "Rollbook"
    currency: str = "USD"
    contact_email: str = ""
    contact_phone: str = ""
    postal_address: str = ""
    retention_months: int = 0
    reminder_hours: int = 24
    payment_nudge_hours: int = 24


DESCRIPTIONS: Mapping[str, str] = {
    "payment_hold_hours": "Hours an unpaid registration holds its seat (0 = hold until paid).",
    "unpaid_bookings_per_address": "Unpaid public bookings one internet address may hold at "
    "once; more wait until one is paid or expires (0 = no limit).",
    "offer_hours": "Hours a waitlist offer stays open before it passes to the next student.",
    "automatic_offers": "Offer a freed seat to the next waiting student automatically.",
    "completion_threshold_percent": "Attendance (percent of sessions held) that counts "
    "a participant as trained.",
    "registration_open": "Whether the public site accepts new registrations.",
    "venmo_handle": "Venmo username that receives payments, without the @.",
    "zelle_recipient_name": "Name shown as the Zelle recipient.",
    "zelle_phone": "Phone number or email registered with Zelle.",
    "emails_enabled": "Send emails (when off, nothing is written to the outbox).",
    "timezone": "Time zone for course times and sessions (e.g. America/New_York).",
    "organisation_name": "Name shown on the public site and in emails.",
    "currency": "Currency of every price, as its three-letter code (USD is shown as $).",
    "contact_email": "Email address where students and schools reach the organisation; "
    "shown at the foot of every public page and every email.",
    "contact_phone": "Phone number shown with the contact email (leave empty to show none).",
    "postal_address": "Postal address on one line, commas between its parts "
    "(leave empty to show none).",
    "retention_months": "Erase the personal data of students with no activity for this many "
    "months (0 = never).",
    "reminder_hours": "Hours before each class that its students get a reminder (0 = none).",
    "payment_nudge_hours": "Hours before an unpaid booking's hold ends that its student is "
    "reminded to pay (0 = none).",
}

KEYS: tuple[str, ...] = tuple(f.name for f in fields(Settings))
DEFAULTS = Settings()

#: What each setting is called on a screen and in a refusal.
LABELS: Mapping[str, str] = {
    "organisation_name": "Organisation name",
    "timezone": "Time zone",
    "registration_open": "Registration open",
    "payment_hold_hours": "Payment hold (hours)",
    "unpaid_bookings_per_address": "Unpaid bookings per address",
    "venmo_handle": "Venmo username",
    "zelle_recipient_name": "Zelle recipient name",
    "zelle_phone": "Zelle phone or email",
    "offer_hours": "Waitlist offer (hours)",
    "automatic_offers": "Automatic waitlist offers",
    "emails_enabled": "Emails enabled",
    "completion_threshold_percent": "Completion threshold (%)",
    "currency": "Currency",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "postal_address": "Postal address",
    "retention_months": "Keep inactive students (months)",
    "reminder_hours": "Class reminder (hours before)",
    "payment_nudge_hours": "Payment reminder (hours before the hold ends)",
}


@dataclass(frozen=True)
class SettingGroup:
    """Settings shown together under one heading."""

    title: str
    keys: tuple[str, ...]


#: Every setting in exactly one group, in the order a form shows them.
GROUPS: tuple[SettingGroup, ...] = (
    SettingGroup(
        "Organisation",
        (
            "organisation_name",
            "contact_email",
            "contact_phone",
            "postal_address",
            "timezone",
            "registration_open",
        ),
    ),
    SettingGroup(
        "Payments",
        (
            "currency",
            "payment_hold_hours",
            "unpaid_bookings_per_address",
            "venmo_handle",
            "zelle_recipient_name",
            "zelle_phone",
            "payment_nudge_hours",
        ),
    ),
    SettingGroup("Waitlist", ("offer_hours", "automatic_offers")),
    SettingGroup("Emails", ("emails_enabled", "reminder_hours")),
    SettingGroup("Attendance", ("completion_threshold_percent",)),
    SettingGroup("Personal data", ("retention_months",)),
)


class Kind(enum.Enum):
    """What sort of value a setting holds, so a form can offer the right input."""

    YES_NO = "yes_no"
    NUMBER = "number"
    TIME_ZONE = "time_zone"
    CURRENCY = "currency"
    TEXT = "text"


@dataclass(frozen=True)
class SettingInput:
    """The kind of a setting's value and its limits (inclusive range, or longest text)."""

    kind: Kind
    low: int = 0
    high: int = 0
    max_length: int = 100


#: The kind and limits of every setting; its parser is derived from them.
INPUTS: Mapping[str, SettingInput] = {
    "payment_hold_hours": SettingInput(Kind.NUMBER, 0, 24 * 365),
    "unpaid_bookings_per_address": SettingInput(Kind.NUMBER, 0, 1000),
    "offer_hours": SettingInput(Kind.NUMBER, 1, 24 * 60),
    "automatic_offers": SettingInput(Kind.YES_NO),
    "completion_threshold_percent": SettingInput(Kind.NUMBER, 1, 100),
    "registration_open": SettingInput(Kind.YES_NO),
    "venmo_handle": SettingInput(Kind.TEXT, max_length=64),
    "zelle_recipient_name": SettingInput(Kind.TEXT),
    "zelle_phone": SettingInput(Kind.TEXT),
    "emails_enabled": SettingInput(Kind.YES_NO),
    "timezone": SettingInput(Kind.TIME_ZONE),
    "organisation_name": SettingInput(Kind.TEXT),
    "currency": SettingInput(Kind.CURRENCY),
    "contact_email": SettingInput(Kind.TEXT, max_length=254),
    "contact_phone": SettingInput(Kind.TEXT, max_length=50),
    "postal_address": SettingInput(Kind.TEXT, max_length=255),
    "retention_months": SettingInput(Kind.NUMBER, 0, 1200),
    "reminder_hours": SettingInput(Kind.NUMBER, 0, 24 * 30),
    "payment_nudge_hours": SettingInput(Kind.NUMBER, 0, 24 * 30),
}


def _as_bool(key: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{LABELS[key]} must be yes or no, not {raw!r}", field=key)


def _as_int(key: str, raw: str) -> int:
    low, high = INPUTS[key].low, INPUTS[key].high
    text = raw.strip()
    if not text.lstrip("-").isdigit():
        raise SettingError(f"{LABELS[key]} must be a whole number, not {raw!r}", field=key)
    value = int(text)
    if not low <= value <= high:
        raise SettingError(f"{LABELS[key]} must be between {low} and {high}", field=key)
    return value


def _as_text(key: str, raw: str) -> str:
    value = raw.strip()
    max_length = INPUTS[key].max_length
    if len(value) > max_length:
        raise SettingError(f"{LABELS[key]} must be at most {max_length} characters", field=key)
    if any(ord(c) < 32 for c in value):
        raise SettingError(f"{LABELS[key]} must be a single line of text", field=key)
    return value


def _as_timezone(key: str, raw: str) -> str:
    value = raw.strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        message = f"{LABELS[key]} must be a time zone name such as Europe/Berlin"
        raise SettingError(message, field=key) from exc
    return value


def _as_currency(key: str, raw: str) -> str:
    value = raw.strip().upper()
    if value not in CURRENCY_SYMBOLS:
        known = ", ".join(CURRENCY_SYMBOLS)
        raise SettingError(f"{LABELS[key]} must be one of {known}", field=key)
    return value


def _as_handle(key: str, raw: str) -> str:
    value = _as_text(key, raw).lstrip("@")
    if value and not all(c.isalnum() or c in "-_" for c in value):
        raise SettingError(f"{LABELS[key]} may hold only letters, digits, - and _", field=key)
    return value


def _as_email(key: str, raw: str) -> str:
    value = _as_text(key, raw)
    if not value:
        return value
    try:
        return normalise_email(value, field=key)
    except ValidationError as refused:
        message = f"{LABELS[key]} must be an address such as hello@example.org"
        raise SettingError(message, field=key) from refused


_PARSERS: Mapping[Kind, Callable[[str, str], object]] = {
    Kind.YES_NO: _as_bool,
    Kind.NUMBER: _as_int,
    Kind.TIME_ZONE: _as_timezone,
    Kind.TEXT: _as_text,
    Kind.CURRENCY: _as_currency,
}
# A Venmo username and an email address are text with a stricter form.
_SPECIAL_PARSERS: Mapping[str, Callable[[str, str], object]] = {
    "venmo_handle": _as_handle,
    "contact_email": _as_email,
}


def time_zone_names() -> list[str]:
    """The IANA time zone names a time zone setting may take, sorted."""
    return sorted(available_timezones())


def choices_for(key: str) -> list[tuple[str, str]] | None:
    """(value, label) pairs for a setting chosen from a list, or None for a typed one."""
    kind = INPUTS[key].kind
    if kind is Kind.TIME_ZONE:
        return [(zone, zone) for zone in time_zone_names()]
    if kind is Kind.CURRENCY:
        return [(code, f"{code} ({symbol})") for code, symbol in CURRENCY_SYMBOLS.items()]
    return None


def parse_setting(key: str, raw: str) -> object:
    """The typed value of a setting, or ``SettingError`` for an unknown key or bad value."""
    spec = INPUTS.get(key)
    if spec is None:
        raise SettingError(f"There is no setting called {key!r}", field=key)
    return _SPECIAL_PARSERS.get(key, _PARSERS[spec.kind])(key, raw)


def format_setting(value: object) -> str:
    """The stored text of a typed value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def settings_from_stored(stored: Mapping[str, str]) -> Settings:
    """Typed settings from stored text; unknown or unparseable rows fall back to defaults."""
    values: dict[str, object] = {}
    for key in KEYS:
        if key in stored:
            try:
                values[key] = parse_setting(key, stored[key])
            except SettingError:
                continue
    return Settings(**values)  # type: ignore[arg-type]
