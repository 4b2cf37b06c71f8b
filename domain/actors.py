"""Who is acting: recorded on every change in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import ActorKind


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    label: str
    staff_user_id: int | None = None
    #: A public visitor's internet address (the unpaid-bookings cap counts by it).
    address: str = ""

    @classmethod
    def staff(cls, staff_user_id: int, username: str) -> Actor:
        return cls(ActorKind.STAFF, username, staff_user_id)

    @classmethod
    def public(cls, address: str = "") -> Actor:
        return cls(ActorKind.PUBLIC, f"public {address}".strip(), address=address)

    @classmethod
    def script(cls, name: str = "script") -> Actor:
        return cls(ActorKind.SCRIPT, name)

    @classmethod
    def system(cls, job: str = "worker") -> Actor:
        return cls(ActorKind.SYSTEM, job)
