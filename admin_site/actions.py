"""Staff actions: a form (the confirmation step), then one POST into one domain service.

SQLAdmin's ``@action`` routes answer GET only, so the ``@action`` buttons on the
entity views (the mixins in ``actions_*.py``) just open
``/admin/actions/{slug}/?pks=...``; the change happens when that form is posted.
A refusal by the rules is shown on the form, never as a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import MethodType
from typing import Any

from sqladmin import Admin, BaseView, ModelView, action, expose
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin_site.actions_context import (
    add_templates,
    bind_database,
    csrf_token,
    current_actor,
    database,
    read_result,
    sign_result,
)
from domain.actors import Actor
from domain.db.database import Database
from domain.errors import DomainError, ValidationError
from domain.rules.identifiers import parse_id

CONFIRM_FIELD = "confirmed"


@dataclass(frozen=True)
class Field:
    """One input on an action's form."""

    name: str
    label: str
    #: text, textarea, number, select or student (text that searches as you type).
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    help: str = ""
    default: str = ""


@dataclass(frozen=True)
class ActionInput:
    pks: list[int]
    values: dict[str, str]
    actor: Actor


@dataclass(frozen=True)
class ActionSpec:
    slug: str
    title: str
    #: The entity view the action belongs to, for the links back.
    identity: str
    #: The entity class, to name the chosen rows on the form.
    model: type
    #: Calls the domain service; returns what to tell the user.
    run: Callable[[Database, ActionInput], str]
    fields: tuple[Field, ...] = ()
    #: A box to tick before a change that is hard to undo; empty when none is needed.
    confirm: str = ""
    #: Whether several rows may be chosen at once (from the list page).
    many: bool = False
    intro: str = ""
    #: Fields that depend on the chosen row (a course's sessions); replaces ``fields``.
    fields_for: Callable[[Database, list[int]], tuple[Field, ...]] | None = None

    def form_fields(self, db: Database, pks: list[int]) -> tuple[Field, ...]:
        return self.fields_for(db, pks) if self.fields_for and pks else self.fields


@dataclass
class ActionRegistry:
    specs: dict[str, ActionSpec] = field(default_factory=dict)

    def add(self, specs: Sequence[ActionSpec]) -> None:
        for spec in specs:
            self.specs[spec.slug] = spec


def open_action(request: Request, slug: str) -> Response:
    """The ``@action`` handler body: open the action's form for the chosen rows."""
    url = URL(str(request.url_for("admin:view-action", slug=slug)))
    pks = request.query_params.get("pks", "")
    return RedirectResponse(url.include_query_params(pks=pks), status_code=302)


def action_button(slug: str, label: str, *, add_in_list: bool = False) -> Any:
    """An ``@action`` button for a mixin: its handler just opens the action's form."""

    async def handler(self: object, request: Request) -> Response:
        return open_action(request, slug)

    handler.__name__ = "action_" + slug.replace("-", "_")
    return action(slug, label, add_in_list=add_in_list)(handler)


def open_first(request: Request, *, identity: str, route: str, param: str) -> Response:
    """Go to ``route`` for the first chosen row; back to the list when none is chosen."""
    pk = parse_id(request.query_params.get("pks", "").split(",")[0])
    if pk is None:
        return RedirectResponse(request.url_for("admin:list", identity=identity), 302)
    return RedirectResponse(request.url_for(route, **{param: pk}), 302)


def parse_pks(raw: str) -> list[int]:
    """The chosen rows' ids, in order and once each; refused when one is not an id."""
    pks = [parse_id(part.strip()) for part in raw.split(",") if part.strip()]
    ids = [pk for pk in pks if pk is not None]
    if len(ids) != len(pks):
        raise ValidationError("The chosen rows are not valid ids.")
    return list(dict.fromkeys(ids))


def _describe(db: Database, spec: ActionSpec, pks: list[int]) -> list[tuple[int, str]]:
    with db.read() as session:
        found: list[tuple[int, str]] = []
        for pk in pks:
            obj = session.get(spec.model, pk)
            if obj is None:
                raise HTTPException(status_code=404, detail=f"Nothing with id {pk}.")
            found.append((pk, str(obj)))
        return found


def _describe_found(db: Database, spec: ActionSpec, pks: list[int]) -> list[tuple[int, str]]:
    """Like ``_describe``, skipping rows that no longer exist (the result page is a GET)."""
    with db.read() as session:
        found = [(pk, session.get(spec.model, pk)) for pk in pks[:50]]
        return [(pk, str(obj)) for pk, obj in found if obj is not None]


def _check_choice(spec: ActionSpec, pks: list[int]) -> None:
    if not pks:
        raise ValidationError("Choose at least one row first.")
    if len(pks) > 1 and not spec.many:
        raise ValidationError(f"{spec.title} works on one row at a time; choose just one.")


def _read_values(spec: ActionSpec, fields: tuple[Field, ...], form: Any) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in fields:
        value = str(form.get(item.name, "") or "").strip()
        if item.required and not value:
            raise ValidationError(f"{item.label} is required.", field=item.name)
        if item.kind == "select" and value and value not in {key for key, _ in item.choices}:
            raise ValidationError(f"Choose one of the options for {item.label}.", field=item.name)
        values[item.name] = value
    if spec.confirm and form.get(CONFIRM_FIELD) != "yes":
        raise ValidationError("Tick the box to confirm.", field=CONFIRM_FIELD)
    return values


class ActionsView(BaseView):
    name = "Actions"
    identity = "action"
    registry = ActionRegistry()

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/actions/{slug}/", methods=["GET", "POST"], identity="action")
    async def action_form(self, request: Request) -> Response:
        spec = self.registry.specs.get(request.path_params["slug"])
        if spec is None:
            raise HTTPException(status_code=404, detail="No such action.")
        db = database(request)
        if request.method == "GET":
            raw_pks, values, error = request.query_params.get("pks", ""), {}, ""
        else:
            form = await request.form()
            raw_pks, values, error = str(form.get("pks", "")), dict(form), ""
        try:
            pks = parse_pks(raw_pks)
            _check_choice(spec, pks)
        except DomainError as exc:
            return await self._render(request, spec, [], values, str(exc))
        targets = await run_in_threadpool(_describe, db, spec, pks)
        fields = await run_in_threadpool(spec.form_fields, db, pks)
        if request.method == "GET":
            return await self._render(request, spec, targets, values, error, fields)
        try:
            cleaned = _read_values(spec, fields, form)
            message = await run_in_threadpool(
                spec.run, db, ActionInput(pks=pks, values=cleaned, actor=current_actor(request))
            )
        except DomainError as exc:
            return await self._render(request, spec, targets, values, str(exc), fields)
        # Post/Redirect/Get: reloading the result page must not run the action again.
        done = URL(str(request.url_for("admin:view-action-done", slug=spec.slug)))
        query = {"pks": ",".join(str(pk) for pk in pks), "result": sign_result(request, message)}
        return RedirectResponse(done.include_query_params(**query), status_code=303)

    @expose("/actions/{slug}/done", methods=["GET"], identity="action-done")
    async def action_done(self, request: Request) -> Response:
        """What the action did; the message travels signed in the query string."""
        spec = self.registry.specs.get(request.path_params["slug"])
        if spec is None:
            raise HTTPException(status_code=404, detail="No such action.")
        message = read_result(request, request.query_params.get("result", ""))
        try:
            pks = parse_pks(request.query_params.get("pks", ""))
        except DomainError:
            pks = []
        targets = await run_in_threadpool(_describe_found, database(request), spec, pks)
        return await self.templates.TemplateResponse(
            request,
            "action_done.html",
            {"spec": spec, "message": message, "back": _back_links(request, spec, targets)},
        )

    async def _render(
        self,
        request: Request,
        spec: ActionSpec,
        targets: list[tuple[int, str]],
        values: dict[str, Any],
        error: str,
        fields: tuple[Field, ...] | None = None,
    ) -> Response:
        context = {
            "spec": spec,
            "fields": spec.fields if fields is None else fields,
            "targets": targets,
            "pks": ",".join(str(pk) for pk, _ in targets),
            "values": {key: str(value) for key, value in values.items()},
            "error": error,
            "csrf_token": csrf_token(request),
            "confirm_field": CONFIRM_FIELD,
            "back": _back_links(request, spec, targets),
        }
        status = 400 if error else 200
        return await self.templates.TemplateResponse(
            request, "action_form.html", context, status_code=status
        )


def _back_links(
    request: Request, spec: ActionSpec, targets: list[tuple[int, str]]
) -> list[tuple[str, str]]:
    links = [
        (str(request.url_for("admin:details", identity=spec.identity, pk=pk)), label)
        for pk, label in targets
    ]
    return links or [(str(request.url_for("admin:list", identity=spec.identity)), "Back to list")]


def attach_buttons(admin: Admin, buttons: dict[str, type]) -> None:
    """Give each entity view the ``@action`` buttons of its mixin, unless it inherits them.

    ``buttons`` maps a view identity to its mixin class. Views that already list
    the mixin as a base had their buttons registered by SQLAdmin itself.
    """
    for view in admin.views:
        mixin = buttons.get(view.identity)
        if mixin is None or not isinstance(view, ModelView) or isinstance(view, mixin):
            continue
        for name, member in vars(mixin).items():
            if name.startswith("action_") and hasattr(member, "_action"):
                bound = MethodType(member, view)
                admin._handle_action_decorated_func(bound, type(view), view)


def register_actions(admin: Admin) -> None:
    """Add the action forms and buttons to ``admin`` (called from ``admin_site.pages``)."""
    from admin_site.actions_courses import (
        COURSE_ACTIONS,
        WAITLIST_ACTIONS,
        CourseActions,
        WaitlistEntryActions,
    )
    from admin_site.actions_registrations import REGISTRATION_ACTIONS, RegistrationActions
    from admin_site.actions_search import StudentSearchView
    from admin_site.actions_students import STUDENT_ACTIONS, ClassSessionActions, StudentActions

    add_templates(admin)
    bind_database(admin)
    admin.add_base_view(StudentSearchView)
    registry = ActionRegistry()
    for specs in (REGISTRATION_ACTIONS, COURSE_ACTIONS, WAITLIST_ACTIONS, STUDENT_ACTIONS):
        registry.add(specs)
    view = type("RollbookActionsView", (ActionsView,), {"registry": registry})
    admin.add_base_view(view)
    attach_buttons(
        admin,
        {
            "registration": RegistrationActions,
            "course": CourseActions,
            "waitlist-entry": WaitlistEntryActions,
            "student": StudentActions,
            "class-session": ClassSessionActions,
        },
    )
