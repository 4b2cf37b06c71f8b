"""Resident memory of one Rollbook process after warm-up.

``rollbook.asgi:create_app`` (public site and admin in one app) runs under
uvicorn with one worker on the seeded database; it serves a warm-up of public
pages, bookings and admin pages (a signed-in session), then its VmRSS is read
from /proc.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.seed import Seeded, superuser_session
from bench.servers import AppServer, app_environment
from domain.db.database import Database

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class MemoryResult:
    requests: int
    rss_mb: float

    def describe(self) -> str:
        return (
            f"memory: one app process (public + admin, 1 uvicorn worker) after "
            f"{self.requests} warm-up requests: {self.rss_mb:.0f} MB resident"
        )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _session_token(url: str) -> str:
    db = Database(url)
    try:
        return superuser_session(db, "memory")
    finally:
        db.dispose()


def run_memory(url: str, seeded: Seeded, *, rounds: int = 20) -> MemoryResult:
    from admin_site.request_context import SESSION_COOKIE

    token = _session_token(url)
    env = app_environment(url, Path(tempfile.mkdtemp(prefix="rollbook-bench-")))
    admin_pages = [
        "/admin/",
        "/admin/registration/list",
        f"/admin/registration/list?search={seeded.search_term}",
        f"/admin/course/details/{seeded.busy_course_id}",
        f"/admin/sessions/{seeded.roll_call_session_id}/rollcall/",
        "/admin/student/list",
    ]
    count = 0
    with AppServer("rollbook.asgi:create_app", env) as app:
        with httpx.Client(base_url=app.base_url, timeout=60) as public:
            for n in range(rounds):
                for page in ("/", f"/courses/{seeded.busy_course_id}", "/signup/", "/profile/"):
                    public.get(page)
                    count += 1
                form = public.get(f"/courses/{seeded.roll_call_course_id}").text
                found = CSRF.search(form)
                if found:
                    public.post(
                        f"/courses/{seeded.roll_call_course_id}/register",
                        data={
                            "csrf_token": found.group(1),
                            "email": f"memory{n}@bench.example",
                            "first_name": "Memory",
                            "pricing_type": "full_package",
                        },
                        headers={"X-Forwarded-For": f"10.9.9.{n + 1}"},
                    )
                    count += 2
        cookie = {"Cookie": f"{SESSION_COOKIE}={token}"}
        with httpx.Client(base_url=app.base_url, timeout=60, headers=cookie) as admin:
            for _ in range(rounds):
                for page in admin_pages:
                    response = admin.get(page)
                    if response.status_code != 200:
                        raise RuntimeError(f"{page} answered {response.status_code}")
                    count += 1
        rss = _rss_mb(app.pids()[0])
    return MemoryResult(requests=count, rss_mb=rss)
