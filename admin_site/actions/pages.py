"""Every action's pages, one way for all: its form, the POST into its service, the result.

``answer_action`` serves an ``ActionSpec``: GET shows the form for the chosen
rows, POST checks it and calls the spec's service in a thread. A refusal by the
rules is shown on the form (400), never as a server error. After a change the
browser is redirected (Post/Redirect/Get) to the result page, or back to the
row; a one-time secret is shown on the answer to the POST instead, uncached.
``ActionsView`` serves every action at ``/admin/actions/{slug}/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, ClassVar

from itsdangerous import BadData, URLSafeTimedSerializer
from sqladmin import BaseView, expose
from sqladmin.secret import Secret
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL, FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin_site.actions.framework import (
    ActionInput,
    ActionSpec,
    Field,
    OneTimeSecret,
    Preview,
    parse_pks,
)
from admin_site.request_context import config, csrf_token, current_actor, database, is_superuser
from domain.db.database import Database
from domain.errors import DomainError, ValidationError

CONFIRM_FIELD = "confirmed"
#: Carries a digest of the previewed values: a changed text is previewed again, not sent.
PREVIEWED_FIELD = "previewed"
#: How long an action's result message may be shown after the action ran.
RESULT_MAX_AGE = 600
_RESULT_SALT = "rollbook-admin-action-result"

Targets = list[tuple[int, str]]


async def answer_action(
    view: BaseView, request: Request, spec: ActionSpec, *, row: int | None = None
) -> Response:
    """The action's form (GET) or its run (POST); ``row`` when the path names the one row."""
    _check_role(request, spec)
    form = await request.form() if request.method == "POST" else None
    values = {key: str(value) for key, value in form.items()} if form else {}
    raw_pks = str(row) if row is not None else str((form or request.query_params).get("pks", ""))
    try:
        pks = parse_pks(raw_pks)
        _check_choice(spec, pks)
    except DomainError as exc:
        return await _form(view, request, spec, [], values, str(exc), spec.fields)
    db = database(request)
    targets = await run_in_threadpool(_describe, db, spec, pks)
    fields = await run_in_threadpool(spec.form_fields, db, pks)
    # The row's state is read again, on the form and on its POST: a page left open
    # offers a move that may no longer apply.
    why_not = await run_in_threadpool(spec.refusal, db, pks[0]) if spec.refusal else None
    if why_not:
        return await _form(view, request, spec, targets, values, why_not, fields, refused=True)
    if form is None:
        return await _form(view, request, spec, targets, values, "", fields)
    try:
        cleaned = _read_values(spec, fields, form)
        data = ActionInput(pks=pks, values=cleaned, actor=current_actor(request))
        if spec.preview and form.get(PREVIEWED_FIELD) != _digest(data):
            shown = await run_in_threadpool(spec.preview, db, data)
            seen = (shown, _digest(data))
            return await _form(view, request, spec, targets, values, "", fields, seen)
        outcome = await run_in_threadpool(spec.run, db, data)
    except DomainError as exc:
        return await _form(view, request, spec, targets, values, str(exc), fields)
    if isinstance(outcome, OneTimeSecret):
        return await _show_once(view, request, spec, targets, outcome)
    if spec.back_to_row:
        return RedirectResponse(_back_links(request, spec, targets)[0][0], status_code=302)
    # Post/Redirect/Get: reloading the result page must not run the action again.
    done = URL(str(request.url_for("admin:view-action-done", slug=spec.slug)))
    query = {"pks": ",".join(str(pk) for pk in pks), "result": _sign(request, outcome)}
    return RedirectResponse(done.include_query_params(**query), status_code=303)


async def answer_done(view: BaseView, request: Request, spec: ActionSpec) -> Response:
    """What the action did; the message travels signed in the query string."""
    _check_role(request, spec)
    message = _read_signed(request, request.query_params.get("result", ""))
    try:
        pks = parse_pks(request.query_params.get("pks", ""))
    except DomainError:
        pks = []
    targets = await run_in_threadpool(_describe_found, database(request), spec, pks)
    context = {"spec": spec, "message": message, "back": _back_links(request, spec, targets)}
    return await view.templates.TemplateResponse(request, "action_done.html", context)


class ActionsView(BaseView):
    """Serves the actions in ``specs`` (set by ``actions_view``) at /admin/actions/{slug}/."""

    name = "Actions"
    identity = "action"
    specs: ClassVar[dict[str, ActionSpec]] = {}

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/actions/{slug}/", methods=["GET", "POST"], identity="action")
    async def action_form(self, request: Request) -> Response:
        return await answer_action(self, request, self._spec(request))

    @expose("/actions/{slug}/done", methods=["GET"], identity="action-done")
    async def action_done(self, request: Request) -> Response:
        return await answer_done(self, request, self._spec(request))

    def _spec(self, request: Request) -> ActionSpec:
        spec = self.specs.get(request.path_params["slug"])
        if spec is None:
            raise HTTPException(status_code=404, detail="No such action.")
        return spec


def actions_view(specs: Sequence[ActionSpec]) -> type[ActionsView]:
    """An ``ActionsView`` serving ``specs``; two actions may not share a slug."""
    by_slug = {spec.slug: spec for spec in specs}
    if len(by_slug) != len(specs):
        raise ValueError("two actions share a slug")
    return type("RollbookActionsView", (ActionsView,), {"specs": by_slug})


def _check_role(request: Request, spec: ActionSpec) -> None:
    if spec.superusers_only and not is_superuser(request):
        raise HTTPException(status_code=403)


def _describe(db: Database, spec: ActionSpec, pks: list[int]) -> Targets:
    with db.read() as session:
        found: Targets = []
        for pk in pks:
            obj = session.get(spec.model, pk)
            if obj is None:
                raise HTTPException(status_code=404, detail=f"Nothing with id {pk}.")
            found.append((pk, spec.label(obj)))
        return found


def _describe_found(db: Database, spec: ActionSpec, pks: list[int]) -> Targets:
    """Like ``_describe``, skipping rows that no longer exist (the result page is a GET)."""
    with db.read() as session:
        found = [(pk, session.get(spec.model, pk)) for pk in pks[:50]]
        return [(pk, spec.label(obj)) for pk, obj in found if obj is not None]


def _check_choice(spec: ActionSpec, pks: list[int]) -> None:
    if not pks:
        raise ValidationError("Choose at least one row first.")
    if len(pks) > 1 and not spec.many:
        raise ValidationError(f"{spec.title} works on one row at a time; choose just one.")


def _read_values(spec: ActionSpec, fields: tuple[Field, ...], form: FormData) -> dict[str, str]:
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


async def _form(
    view: BaseView,
    request: Request,
    spec: ActionSpec,
    targets: Targets,
    values: dict[str, str],
    error: str,
    fields: tuple[Field, ...],
    preview: tuple[Preview, str] | None = None,
    *,
    refused: bool = False,
) -> Response:
    context: dict[str, Any] = {
        # The row's state refuses the move: no form to send, only the way back.
        "refused": refused,
        "preview": preview[0] if preview else None,
        "previewed_field": PREVIEWED_FIELD,
        "digest": preview[1] if preview else "",
        "spec": spec,
        "question": _question(spec, targets),
        "fields": fields,
        "targets": targets,
        "pks": ",".join(str(pk) for pk, _ in targets),
        "values": values,
        "error": error,
        "csrf_token": csrf_token(request),
        "confirm_field": CONFIRM_FIELD,
        "back": _back_links(request, spec, targets),
    }
    status = 400 if error else 200
    return await view.templates.TemplateResponse(
        request, "action_form.html", context, status_code=status
    )


async def _show_once(
    view: BaseView, request: Request, spec: ActionSpec, targets: Targets, secret: OneTimeSecret
) -> Response:
    context = {"spec": spec, "secret": secret, "back": _back_links(request, spec, targets)}
    response = await view.templates.TemplateResponse(request, "action_secret.html", context)
    Secret.apply_no_store_headers(response)
    return response


def _digest(data: ActionInput) -> str:
    """A fingerprint of what the form holds, so a preview covers exactly what is sent."""
    content = [data.pks, sorted(data.values.items())]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _question(spec: ActionSpec, targets: Targets) -> str:
    if not spec.question or len(targets) != 1:
        return ""
    return spec.question.format(target=targets[0][1])


def _back_links(request: Request, spec: ActionSpec, targets: Targets) -> list[tuple[str, str]]:
    links = [
        (str(request.url_for("admin:details", identity=spec.identity, pk=pk)), label)
        for pk, label in targets
    ]
    return links or [(str(request.url_for("admin:list", identity=spec.identity)), "Back to list")]


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config(request).secret_key, salt=_RESULT_SALT)


def _sign(request: Request, message: str) -> str:
    """``message`` as a query value no one else can forge (there is no server-side flash)."""
    return str(_signer(request).dumps(message))


def _read_signed(request: Request, value: str) -> str:
    """The message signed into ``value``; empty when it is unsigned, tampered or stale."""
    try:
        message = _signer(request).loads(value, max_age=RESULT_MAX_AGE)
    except BadData:
        return ""
    return message if isinstance(message, str) else ""
