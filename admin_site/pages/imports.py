"""Import schools, students or registrations from a spreadsheet: upload, map, preview, apply.

The uploaded file is kept in a temporary folder under a random name between the
steps (its name travels in the form); the preview and the apply are
``domain.imports.service``'s, so the page shows exactly what applying does.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from sqladmin import Admin, BaseView, expose
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin_site.export.workbook import content_disposition
from admin_site.request_context import current_actor, database
from domain.db import tables as t
from domain.db.database import Database
from domain.errors import DomainError
from domain.imports.columns import FIELDS, ImportKind, Mapping, guess_mapping
from domain.imports.people_rows import ImportOptions
from domain.imports.reading import Sheet, read_sheet
from domain.imports.service import (
    ImportReport,
    apply_import,
    preview_import,
    skipped_rows_csv,
)

TEMPLATE = "rollbook/import.html"
_KINDS = {
    ImportKind.STUDENTS: "Students",
    ImportKind.SCHOOLS: "Schools",
    ImportKind.REGISTRATIONS: "Registrations",
}
#: Rows of the preview drawn on the page besides every skipped one (the rest are counted).
SHOWN_ROWS = 500


#: How long an uploaded file and its report are kept for the next step.
KEPT_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "rollbook-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    oldest = time.time() - KEPT_SECONDS
    for kept in _folder().iterdir():
        with contextlib.suppress(OSError):
            if kept.stat().st_mtime < oldest:
                kept.unlink()


def _kept(token: str) -> tuple[str, bytes]:
    """The uploaded file's name and bytes; 404 for a token that names none."""
    if not token.isidentifier() or not token.startswith("u"):
        raise HTTPException(status_code=404)
    matches = list(_folder().glob(f"{token}.*"))
    uploads = [m for m in matches if not m.name.endswith(".skipped.csv")]
    if not uploads:
        raise HTTPException(status_code=404)
    name = uploads[0].name.split(".", 1)[1]
    return name, uploads[0].read_bytes()


def _courses(db: Database) -> list[tuple[int, str]]:
    c = t.courses.c
    with db.read() as session:
        rows = session.execute(select(c.id, c.title).order_by(c.starts_at.desc(), c.id)).all()
    return [(course_id, title) for course_id, title in rows]


def _mapping(form: FormData, kind: ImportKind, sheet: Sheet) -> Mapping:
    mapping: Mapping = {}
    for field in FIELDS[kind]:
        raw = form.get(f"map_{field.name}")
        if isinstance(raw, str) and raw.isdigit() and int(raw) < len(sheet.headers):
            mapping[field.name] = int(raw)
    return mapping


def _options(form: FormData) -> ImportOptions:
    course = form.get("course_id")
    reason = form.get("override_reason")
    return ImportOptions(
        update_existing=form.get("update_existing") == "on",
        course_id=int(course) if isinstance(course, str) and course.isdigit() else None,
        override_reason=" ".join(reason.split()) if isinstance(reason, str) else "",
    )


class ImportView(BaseView):
    name = "Import"
    icon = "fa-solid fa-file-import"
    category = "System"
    identity = "import"

    @expose("/import/", methods=["GET", "POST"], identity="import")
    async def import_page(self, request: Request) -> Response:
        db = database(request)
        courses = await run_in_threadpool(_courses, db)
        if request.method == "GET":
            return await self._page(request, {"courses": courses})
        async with request.form() as form:
            upload = form.get("file")
            uploaded = isinstance(upload, UploadFile)
            if isinstance(upload, UploadFile):
                filename = Path(upload.filename or "").name
                data = await upload.read()
        kind_raw = form.get("kind")
        kind = ImportKind(kind_raw) if kind_raw in set(ImportKind) else ImportKind.STUDENTS
        if uploaded:
            token = "u" + secrets.token_hex(16)
        else:
            token = str(form.get("token") or "")
            filename, data = _kept(token)
        context: dict[str, Any] = {"courses": courses, "kind": kind, "options": _options(form)}
        try:
            sheet = read_sheet(filename, data)
        except DomainError as exc:
            context["error"] = str(exc)
            return await self._page(request, context, status=400)
        if uploaded:
            await run_in_threadpool(_forget_old_uploads)
            (_folder() / f"{token}.{filename}").write_bytes(data)
            mapping = guess_mapping(kind, sheet.headers)
        else:
            mapping = _mapping(form, kind, sheet)
        options = _options(form)
        actor = current_actor(request)
        applying = form.get("step") == "apply"
        try:
            if applying:
                report = await run_in_threadpool(
                    lambda: apply_import(
                        db, kind, sheet, mapping, options, actor=actor, filename=filename
                    )
                )
                skipped = skipped_rows_csv(report, sheet.headers)
                (_folder() / f"{token}.skipped.csv").write_text(skipped, encoding="utf-8")
            else:
                report = await run_in_threadpool(
                    lambda: preview_import(db, kind, sheet, mapping, options, actor=actor)
                )
        except DomainError as exc:
            context["error"] = f"{exc} Nothing was imported."
            return await self._page(request, context, status=400)
        context.update(
            token=token,
            filename=filename,
            headers=sheet.headers,
            fields=FIELDS[kind],
            mapping=mapping,
            report=report,
            shown=_shown(report),
        )
        return await self._page(request, context)

    @expose("/import/skipped/{token}", methods=["GET"], identity="import-skipped")
    async def skipped_report(self, request: Request) -> Response:
        token = str(request.path_params["token"])
        filename, _ = _kept(token)
        report = _folder() / f"{token}.skipped.csv"
        if not report.exists():
            raise HTTPException(status_code=404)
        stem = filename.rsplit(".", 1)[0]
        return Response(
            report.read_bytes(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition(f"{stem} - skipped rows.csv")},
        )

    async def _page(
        self, request: Request, context: dict[str, Any], *, status: int = 200
    ) -> Response:
        base = {"title": "Import", "kinds": _KINDS, "kind": ImportKind.STUDENTS}
        return await self.templates.TemplateResponse(
            request, TEMPLATE, base | context, status_code=status
        )


def _shown(report: ImportReport) -> list[Any]:
    """Every skipped row, and the others up to ``SHOWN_ROWS``, in the file's order."""
    shown, others = [], 0
    for row in report.rows:
        if row.action == "skip" or others < SHOWN_ROWS:
            shown.append(row)
            others += row.action != "skip"
    return shown


def register_imports(admin: Admin) -> None:
    """Add the import page to ``admin`` (called from ``admin_site.pages``)."""
    admin.add_base_view(ImportView)
