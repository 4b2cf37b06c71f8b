"""What an action is: a form (the confirmation step), then one POST into one domain service.

An ``ActionSpec`` declares an action: its form's fields, the service it calls and
what the user sees after. ``admin_site.actions.pages`` serves every action the
same way. SQLAdmin's ``@action`` routes answer GET only, so an ``@action`` button
just opens the action's form (``open_action``); the change happens when that form
is posted. This module knows no entity: the per-entity modules declare
their actions with it, and ``admin_site.actions`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.actors import Actor
from domain.db.database import Database
from domain.errors import ValidationError
from domain.formatting import money
from domain.rules.identifiers import parse_id
from domain.services.registration_core import RegistrationOutcome
from domain.services.settings import load_settings


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
    #: Starts a new row on the form, headed by this text (one row per chosen registration).
    row: str = ""
    #: Half the form's width on a wide screen, so two fields share a row.
    half: bool = False


@dataclass(frozen=True)
class ActionInput:
    pks: list[int]
    values: dict[str, str]
    actor: Actor


@dataclass(frozen=True)
class OneTimeSecret:
    """A result shown once, on the answer to the POST: never in a URL, never cached.

    Only a hash is stored (a temporary password), so it cannot be shown again.
    """

    value: str
    note: str


@dataclass(frozen=True)
class Preview:
    """What an action will do, shown before it runs (an email as its readers will read it)."""

    lines: tuple[str, ...]
    text: str


#: What an action's service call tells the user: a sentence, or a secret to show once.
Outcome = str | OneTimeSecret


@dataclass(frozen=True)
class ActionSpec:
    slug: str
    title: str
    #: The entity view the action belongs to, for the links back.
    identity: str
    #: The entity class, to name the chosen rows on the form.
    model: type
    #: Calls the domain service; returns what to tell the user.
    run: Callable[[Database, ActionInput], Outcome]
    fields: tuple[Field, ...] = ()
    #: A box to tick before a change that is hard to undo; empty when none is needed.
    confirm: str = ""
    #: Whether several rows may be chosen at once (from the list page).
    many: bool = False
    intro: str = ""
    #: Fields that depend on the chosen row (a course's sessions); replaces ``fields``.
    fields_for: Callable[[Database, list[int]], tuple[Field, ...]] | None = None
    #: The form's question about its one row, ``{target}`` naming it ("Deactivate {target}?").
    question: str = ""
    #: How the form names a chosen row.
    label: Callable[[Any], str] = str
    #: Refused (403) to staff who are not superusers, like the view it belongs to.
    superusers_only: bool = False
    #: Shown on the form before ``run`` may run: the user sends only what they have seen.
    preview: Callable[[Database, ActionInput], Preview] | None = None
    #: After success, back to the row's page (which shows the change) instead of a result page.
    back_to_row: bool = False
    #: Why the row's state refuses this move now (``domain.services.move_states``); None
    #: when it applies. Asked when the form opens and again when it is posted.
    refusal: Callable[[Database, int], str | None] | None = None

    def form_fields(self, db: Database, pks: list[int]) -> tuple[Field, ...]:
        return self.fields_for(db, pks) if self.fields_for and pks else self.fields


@dataclass(frozen=True)
class DetailAction:
    """A button at the top of a detail page; a destructive one stands apart, in red."""

    label: str
    url: str
    destructive: bool = False


def action_button(
    request: Request, slug: str, pk: Any, label: str, *, destructive: bool = False
) -> DetailAction:
    """A detail page's button opening the action ``slug``'s form for the row ``pk``."""
    url = request.url_for("admin:view-action", slug=slug).include_query_params(pks=pk)
    return DetailAction(label, str(url), destructive)


def open_action(request: Request, slug: str) -> Response:
    """The ``@action`` handler body: open the action's form for the chosen rows."""
    url = URL(str(request.url_for("admin:view-action", slug=slug)))
    pks = request.query_params.get("pks", "")
    return RedirectResponse(url.include_query_params(pks=pks), status_code=302)


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


def registration_message(db: Database, outcome: RegistrationOutcome) -> str:
    """What staff read after registering a student: the amount due in the currency setting."""
    if not outcome.created:
        return f"The student already has registration #{outcome.registration_id}."
    with db.read() as session:
        currency = load_settings(session).currency
    due = money(outcome.amount_due, currency)
    return f"Registered: registration #{outcome.registration_id}, {due} due."
