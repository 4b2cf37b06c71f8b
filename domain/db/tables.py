"""Every table, in one namespace: ``from domain.db.tables import metadata, registrations``."""

from domain.db.schema import metadata
from domain.db.tables_certificates import certificates
from domain.db.tables_courses import (
    REGISTRATION_ACTIVE_SQL,
    attendance,
    class_sessions,
    course_slots,
    courses,
    prices,
    registrations,
    waitlist_entries,
)
from domain.db.tables_people import contact_logs, schools, staff_users, students
from domain.db.tables_system import (
    audit_entries,
    calendar_feeds,
    link_tokens,
    login_throttles,
    outgoing_emails,
    rate_limit_buckets,
    sent_notices,
    settings,
    staff_sessions,
)

__all__ = [
    "REGISTRATION_ACTIVE_SQL",
    "attendance",
    "audit_entries",
    "calendar_feeds",
    "certificates",
    "class_sessions",
    "contact_logs",
    "course_slots",
    "courses",
    "link_tokens",
    "login_throttles",
    "metadata",
    "outgoing_emails",
    "prices",
    "rate_limit_buckets",
    "registrations",
    "schools",
    "sent_notices",
    "settings",
    "staff_sessions",
    "staff_users",
    "students",
    "waitlist_entries",
]
