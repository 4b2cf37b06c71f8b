"""The public site's stylesheets and scripts, kept by browsers and proxies until they change.

Pages link each asset with a version taken from its content
(``/static/site/site.css?v=3f2a…``): a new release changes the address, so the
browser fetches the new file, and an address with a version may be kept a year.
An asset asked for without a version (the fonts a stylesheet names) is kept an hour.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

#: An address with its content's version never changes what it holds.
VERSIONED = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=3600"


class VersionedStaticFiles(StaticFiles):
    """Static files that say how long they may be kept, and name their versioned address."""

    def __init__(self, prefix: str, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.prefix = prefix

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = "v" in QueryParams(scope.get("query_string", b""))
        response.headers["Cache-Control"] = VERSIONED if versioned else UNVERSIONED
        return response

    def url(self, path: str) -> str:
        """The address of ``path`` with its content's version."""
        full_path, stat_result = self.lookup_path(path)
        if stat_result is None:
            raise LookupError(f"no static file {path!r} under {self.prefix}")
        version = _digest(full_path, stat_result.st_mtime_ns, stat_result.st_size)
        return f"{self.prefix}/{path}?v={version}"


@lru_cache(maxsize=64)
def _digest(full_path: str, _mtime_ns: int, _size: int) -> str:
    # Keyed by the file's time and size too, so an edited file gets a new version.
    return hashlib.sha256(Path(full_path).read_bytes()).hexdigest()[:12]


def static_mounts(site_directory: Path) -> tuple[list[Mount], Callable[[str, str], str]]:
    """The site's two static mounts, and ``asset(mount, path)`` for templates."""
    mounts = {
        "site": VersionedStaticFiles("/static/site", directory=site_directory),
        # The admin's look: Tabler as shipped inside the installed SQLAdmin package.
        "tabler": VersionedStaticFiles("/static/tabler", packages=[("sqladmin", "statics")]),
    }

    def asset(mount: str, path: str) -> str:
        return mounts[mount].url(path)

    routes = [
        Mount("/static/site", mounts["site"], name="static"),
        Mount("/static/tabler", mounts["tabler"], name="tabler"),
    ]
    return routes, asset
