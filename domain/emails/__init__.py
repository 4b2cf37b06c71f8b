"""Message builders: pure functions from entities and settings to an ``outbox.Email``.

Queue the result with ``domain.outbox.queue_email`` in the transaction that makes
the change the message describes.
"""

from domain.emails.registration import cancellation, payment_confirmed, registration_received
from domain.emails.school import school_signup_confirmation
from domain.emails.waitlist import waitlist_joined, waitlist_offer

__all__ = [
    "cancellation",
    "payment_confirmed",
    "registration_received",
    "school_signup_confirmation",
    "waitlist_joined",
    "waitlist_offer",
]
