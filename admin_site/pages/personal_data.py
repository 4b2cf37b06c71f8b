"""A student's personal data on request: the page offering the download, and the download.

The download is a POST (it writes an audit entry saying who took the data);
its button sits with the student page's exports (``StudentView.detail_links``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqladmin import BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin_site.auth import RollbookAdmin
from admin_site.export.personal_data import (
    personal_data_filename,
    personal_data_json,
    write_personal_data_workbook,
)
from admin_site.export.workbook import content_disposition, xlsx_response
from admin_site.request_context import current_actor, database
from domain.db.database import Database
from domain.model import Student
from domain.services.personal_data import export_personal_data
from domain.services.settings import load_settings

TEMPLATE = "rollbook/personal_data.html"
FORMATS = {"xlsx": "Excel workbook", "json": "JSON (for another program)"}


class PersonalDataView(BaseView):
    name = "Personal data"
    identity = "personal-data"

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/students/{pk:id}/personal-data", methods=["GET", "POST"], identity="personal-data")
    async def personal_data(self, request: Request) -> Response:
        db, pk = database(request), int(request.path_params["pk"])
        name, zone = await run_in_threadpool(_name_and_zone, db, pk)
        if request.method == "GET":
            context = {
                "name": name,
                "pk": pk,
                "formats": FORMATS,
                "title": f"Personal data of {name}",
            }
            return await self.templates.TemplateResponse(request, TEMPLATE, context)
        form = await request.form()
        kind = str(form.get("format", ""))
        if kind not in FORMATS:
            raise HTTPException(status_code=400, detail="Choose Excel or JSON.")
        data = await run_in_threadpool(
            lambda: export_personal_data(db, pk, actor=current_actor(request))
        )
        if kind == "json":
            headers = {
                "Content-Disposition": content_disposition(
                    personal_data_filename(data, zone, "json")
                ),
                "Cache-Control": "no-store",
            }
            return Response(
                personal_data_json(data), media_type="application/json", headers=headers
            )
        path, filename = await run_in_threadpool(write_personal_data_workbook, data, zone)
        response = xlsx_response(path, filename)
        response.headers["Cache-Control"] = "no-store"
        return response


def _name_and_zone(db: Database, pk: int) -> tuple[str, ZoneInfo]:
    with db.read() as session:
        student = session.get(Student, pk)
        if student is None:
            raise HTTPException(status_code=404, detail=f"There is no student #{pk}.")
        return student.full_name, ZoneInfo(load_settings(session).timezone)


def register_personal_data(admin: RollbookAdmin) -> None:
    """Serve the personal-data page (called from ``admin_site.pages``)."""
    admin.add_base_view(PersonalDataView)
