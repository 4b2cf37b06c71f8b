"""Custom admin pages (dashboard, roll call, ...) plug in here.

Each entry is called once with the ``Admin`` by ``create_admin_app`` after the
model views are added; it may ``admin.add_view(...)`` a ``BaseView`` or add routes
to ``admin.admin`` (the mounted Starlette app). Append to ``PAGES`` in this module.
"""

from __future__ import annotations

from collections.abc import Callable

from sqladmin import Admin

from admin_site.actions import register_actions
from admin_site.dashboard import register_dashboard
from admin_site.mailbox import register_mailbox
from admin_site.rollcall import register_rollcall

PAGES: list[Callable[[Admin], None]] = [
    register_dashboard,
    register_rollcall,
    register_actions,
    register_mailbox,
]
