"""Match a Venmo or bank (Zelle) statement to registrations, then confirm the chosen payments.

Upload the CSV statement; each incoming payment is shown with its proposal
(``domain.payments_import.matching``): exact matches come ticked, the others
need a click or are left for staff to settle by hand. Confirming runs the
normal confirm-payment service for each ticked payment, with the statement's
transaction id as the reference, and shows what was confirmed and what refused.
"""

from __future__ import annotations

from typing import Any

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from admin_site.request_context import current_actor, database
from domain.db.database import Database
from domain.enums import PaymentMethod
from domain.errors import DomainError, ValidationError
from domain.formatting import label, local_date, money
from domain.payments_import.matching import (
    MatchKind,
    confirm_matches,
    propose_matches,
)
from domain.payments_import.statements import parse_statement
from domain.services.settings import load_settings

TEMPLATE = "payment_matching.html"
#: A year of a studio's statement is far below this.
MAX_STATEMENT_BYTES = 5 * 1024 * 1024
#: What each kind of proposal is called on the page, in the order shown.
KIND_LABELS = {
    MatchKind.EXACT: "Matched by reference",
    MatchKind.NEEDS_A_CLICK: "Check and tick",
    MatchKind.UNMATCHED: "Not matched",
    MatchKind.ALREADY_CONFIRMED: "Already confirmed",
}
_SEPARATOR = "|"


def pick_value(registration_id: int, transaction_id: str) -> str:
    """A ticked payment as the form sends it back: the registration and the transaction id."""
    return f"{registration_id}{_SEPARATOR}{transaction_id}"


def parse_pick(value: str) -> tuple[int, str]:
    registration, _, reference = value.partition(_SEPARATOR)
    if not registration.isdigit() or not reference:
        raise ValidationError("A ticked payment could not be read; upload the statement again.")
    return int(registration), reference


async def _statement_text(request: Request) -> str:
    async with request.form() as form:
        upload = form.get("statement")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationError("Choose the statement's CSV file to upload.", field="statement")
        raw = await upload.read(MAX_STATEMENT_BYTES + 1)
    if len(raw) > MAX_STATEMENT_BYTES:
        raise ValidationError("This file is too large for a statement (5 MB at most).")
    # An upload path skips the input guard's text check (admin_site/security.py::UPLOAD_PATHS):
    # a byte that is not UTF-8 reads as a replacement character, and NUL (which PostgreSQL
    # cannot store in a reference) is dropped.
    return raw.decode("utf-8-sig", errors="replace").replace("\x00", "")


class PaymentMatchingView(BaseView):
    name = "Match payments"
    icon = "fa-solid fa-file-invoice-dollar"
    category = "Registrations"
    identity = "payment-matching"
    # SQLAdmin sets a BaseView's identity (its menu link) from each page it exposes,
    # in the order of the methods' names: ``match_page`` comes last, so the menu opens it.

    @expose("/payments/match/", methods=["GET", "POST"], identity="payment-matching")
    async def match_page(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._page(request, {})
        db = database(request)
        try:
            statement = parse_statement(await _statement_text(request))
            proposals = await run_in_threadpool(propose_matches, db, statement)
        except DomainError as refused:
            return await self._page(request, {"error": str(refused)}, status=400)
        groups = [
            (kind, KIND_LABELS[kind], [p for p in proposals if p.kind is kind])
            for kind in KIND_LABELS
        ]
        context = {
            "statement": statement,
            "groups": [group for group in groups if group[2]],
            "method_label": label(statement.method),
        }
        return await self._page(request, context)

    @expose("/payments/match/confirm", methods=["POST"], identity="payment-matching-confirm")
    async def confirm_page(self, request: Request) -> Response:
        db = database(request)
        form = await request.form()
        try:
            method = PaymentMethod(str(form.get("method", "")))
            chosen = [parse_pick(str(value)) for value in form.getlist("pick")]
        except (ValueError, DomainError) as refused:
            message = str(refused) if isinstance(refused, DomainError) else "Unknown method."
            return await self._page(request, {"error": message}, status=400)
        if not chosen:
            return await self._page(
                request, {"error": "Tick at least one payment to confirm."}, status=400
            )
        actor = current_actor(request)
        outcomes = await run_in_threadpool(
            lambda: confirm_matches(db, method=method, chosen=chosen, actor=actor)
        )
        return await self._page(request, {"outcomes": outcomes, "method_label": label(method)})

    async def _page(
        self, request: Request, context: dict[str, Any], *, status: int = 200
    ) -> Response:
        db = database(request)
        currency = await run_in_threadpool(_currency, db)
        context = {
            "title": "Match payments",
            "money": lambda amount: money(amount, currency),
            "local_date": local_date,
            "pick_value": pick_value,
            "kinds": MatchKind,
        } | context
        return await self.templates.TemplateResponse(request, TEMPLATE, context, status_code=status)


def _currency(db: Database) -> str:
    with db.read() as session:
        return load_settings(session).currency


def register_payment_matching(admin: Admin) -> None:
    """Add the statement matching page to ``admin`` (called from ``admin_site.pages``)."""
    admin.add_base_view(PaymentMatchingView)
