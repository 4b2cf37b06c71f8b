"""The staff admin panel: SQLAdmin with Rollbook's sign-in, roles and security.

Build it with ``admin_site.app.create_admin_app(config, db)``. Where things are:

- ``views/``: one declarative SQLAdmin ``ModelView`` per entity, by area; their
  writes go through ``domain.services``.
- ``actions/``: every staff action (confirm a payment, offer a seat, reset a
  password, ...) as a form and one service call; ``framework`` and ``pages`` are
  the one mechanism, the other modules declare each area's actions.
- ``pages/``: the admin's own pages (dashboard, roll call, mailbox, my password).
- ``export/``: the Excel exports.
- ``request_context``: the database, the config and who is signed in, for any
  endpoint; ``auth``, ``session``, ``security``, ``input_guard``: sign-in,
  sessions, CSRF and headers, and the input checks in front of SQLAdmin.
"""
