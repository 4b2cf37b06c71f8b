"""The ``rollbook`` command and the combined ASGI app (public at ``/``, admin at ``/admin/``)."""
