"""The admin's own pages beside the entity views: dashboard, calendar, roll call, actions,
mailbox, settings, payment matching, import, personal data.

Each entry of ``PAGES`` is called once with the ``Admin`` by ``create_admin_app``
after the entity views are added; it adds its ``BaseView`` (``admin.add_base_view``).
``create_admin_app`` adds two pages itself: the dashboard first, so that it heads
the menu, and ``account``'s "My password" page after the entity views.
"""

from __future__ import annotations

from collections.abc import Callable

from admin_site.actions.registry import register_actions
from admin_site.auth import RollbookAdmin
from admin_site.pages.calendar import register_calendar
from admin_site.pages.imports import register_imports
from admin_site.pages.mailbox import register_mailbox
from admin_site.pages.payment_matching import register_payment_matching
from admin_site.pages.personal_data import register_personal_data
from admin_site.pages.rollcall import register_rollcall
from admin_site.pages.settings import register_settings

PAGES: list[Callable[[RollbookAdmin], None]] = [
    register_calendar,
    register_rollcall,
    register_actions,
    register_mailbox,
    register_settings,
    register_personal_data,
    register_payment_matching,
    register_imports,
]
