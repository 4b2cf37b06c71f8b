"""The system settings: their types, defaults and descriptions, and how values are checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import SettingError
from domain.formatting import CURRENCY_SYMBOLS

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
}

KEYS: tuple[str, ...] = tuple(f.name for f in fields(Settings))
DEFAULTS = Settings()


def _as_bool(key: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{key} must be yes or no, not {raw!r}", field=key)


def _as_int(low: int, high: int) -> Callable[[str, str], int]:
    def parse(key: str, raw: str) -> int:
        text = raw.strip()
        if not text.lstrip("-").isdigit():
            raise SettingError(f"{key} must be a whole number, not {raw!r}", field=key)
        value = int(text)
        if not low <= value <= high:
            raise SettingError(f"{key} must be between {low} and {high}", field=key)
        return value

    return parse


def _as_text(max_length: int) -> Callable[[str, str], str]:
    def parse(key: str, raw: str) -> str:
        value = raw.strip()
        if len(value) > max_length:
            raise SettingError(f"{key} must be at most {max_length} characters", field=key)
        if any(ord(c) < 32 for c in value):
            raise SettingError(f"{key} must be a single line of text", field=key)
        return value

    return parse


def _as_timezone(key: str, raw: str) -> str:
    value = raw.strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        message = f"{key} must be a time zone name such as Europe/Berlin"
        raise SettingError(message, field=key) from exc
    return value


def _as_currency(key: str, raw: str) -> str:
    value = raw.strip().upper()
    if value not in CURRENCY_SYMBOLS:
        known = ", ".join(CURRENCY_SYMBOLS)
        raise SettingError(f"{key} must be one of {known}", field=key)
    return value


def _as_handle(key: str, raw: str) -> str:
    value = _as_text(64)(key, raw).lstrip("@")
    if value and not all(c.isalnum() or c in "-_" for c in value):
        raise SettingError(f"{key} may hold only letters, digits, - and _", field=key)
    return value


_PARSERS: Mapping[str, Callable[[str, str], object]] = {
    "payment_hold_hours": _as_int(0, 24 * 365),
    "unpaid_bookings_per_address": _as_int(0, 1000),
    "offer_hours": _as_int(1, 24 * 60),
    "automatic_offers": _as_bool,
    "completion_threshold_percent": _as_int(1, 100),
    "registration_open": _as_bool,
    "venmo_handle": _as_handle,
    "zelle_recipient_name": _as_text(100),
    "zelle_phone": _as_text(100),
    "emails_enabled": _as_bool,
    "timezone": _as_timezone,
    "organisation_name": _as_text(100),
    "currency": _as_currency,
}


def parse_setting(key: str, raw: str) -> object:
    """The typed value of a setting, or ``SettingError`` for an unknown key or bad value."""
    parser = _PARSERS.get(key)
    if parser is None:
        raise SettingError(f"There is no setting called {key!r}", field=key)
    return parser(key, raw)


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
