"""Domain exceptions. Each message is written for the person who caused it."""

from __future__ import annotations


class DomainError(Exception):
    """Something a user asked for that the rules refuse; ``str(error)`` says why."""


class NotFound(DomainError):
    pass


class ValidationError(DomainError):
    """Bad input; ``field`` names the input when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CourseFull(DomainError):
    def __init__(self, course_title: str = "This course") -> None:
        super().__init__(f"{course_title} is full. You can join the waitlist instead.")


class NotEligible(DomainError):
    pass


class AlreadyRegistered(DomainError):
    pass


class RegistrationClosed(DomainError):
    pass


class InvalidTransition(DomainError):
    """A payment, registration or waitlist change not allowed from its current state."""


class OfferExpired(DomainError):
    pass


class LinkInvalid(DomainError):
    """A used, expired or mistyped emailed link."""


class SettingError(ValidationError):
    pass


class SettingsRefused(DomainError):
    """Some values of a form of settings are refused; ``errors`` maps each key to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(f"{message}." for message in errors.values()))
        self.errors = errors


class DeleteRefused(DomainError):
    """Deleting this would lose payment or attendance history."""


class TooManyUnpaid(DomainError):
    """One address holds as many unpaid bookings as it may; paying or waiting frees one."""

    def __init__(self, held: int) -> None:
        super().__init__(
            f"You have {held} unpaid bookings waiting for payment. Please pay for one of "
            "them, or wait until an unpaid booking expires, before booking again."
        )
        self.held = held
