"""Every action and every button, listed once and added to the app from here.

``ACTIONS`` are served at /admin/actions/{slug}/ (``register_actions``); the
entity views get their area's buttons from ``with_buttons``. Only this module
imports every area's actions, so the framework never does.
"""

from __future__ import annotations

from sqladmin import Admin, ModelView

from admin_site.actions.bulk import BULK_ACTIONS
from admin_site.actions.certificates import CERTIFICATE_ACTIONS
from admin_site.actions.courses import (
    COURSE_ACTIONS,
    WAITLIST_ACTIONS,
    CourseActions,
    WaitlistEntryActions,
)
from admin_site.actions.framework import ActionSpec
from admin_site.actions.group_email import EMAIL_ACTIONS
from admin_site.actions.pages import actions_view
from admin_site.actions.publishing import PUBLISHING_ACTIONS
from admin_site.actions.registrations import REGISTRATION_ACTIONS, RegistrationActions
from admin_site.actions.search import StudentSearchView
from admin_site.actions.sessions import SESSION_CHANGE_ACTIONS
from admin_site.actions.staff import STAFF_ACTIONS
from admin_site.actions.students import STUDENT_ACTIONS, ClassSessionActions, StudentActions

ACTIONS: tuple[ActionSpec, ...] = (
    *REGISTRATION_ACTIONS,
    *BULK_ACTIONS,
    *EMAIL_ACTIONS,
    *COURSE_ACTIONS,
    *PUBLISHING_ACTIONS,
    *WAITLIST_ACTIONS,
    *STUDENT_ACTIONS,
    *STAFF_ACTIONS,
    *CERTIFICATE_ACTIONS,
    *SESSION_CHANGE_ACTIONS,
)

#: The mixin holding each entity view's ``@action`` buttons, by view identity.
BUTTONS: dict[str, type] = {
    "registration": RegistrationActions,
    "course": CourseActions,
    "waitlist-entry": WaitlistEntryActions,
    "student": StudentActions,
    "class-session": ClassSessionActions,
}


def with_buttons(view: type[ModelView]) -> type[ModelView]:
    """``view`` with its area's ``@action`` buttons, for ``Admin.add_view``.

    The entity views are declared without them (admin_site/views/), so the
    buttons are mixed in here: SQLAdmin then finds them on the class, as it
    finds any ``@action`` method.
    """
    mixin = BUTTONS.get(view.identity)
    if mixin is None or issubclass(view, mixin):
        return view
    return type(view.__name__, (view, mixin), {"__module__": view.__module__})


def register_actions(admin: Admin) -> None:
    """Serve every action's pages and the student picker (called from ``admin_site.pages``)."""
    admin.add_base_view(StudentSearchView)
    admin.add_base_view(actions_view(ACTIONS))
