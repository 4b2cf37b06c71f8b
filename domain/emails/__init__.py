"""Message builders: pure functions from entities and settings to an ``outbox.Email``.

Queue the result with ``domain.outbox.queue_email`` in the transaction that makes
the change the message describes.
"""
