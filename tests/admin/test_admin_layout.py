"""The admin's layout keeps its promises: read from the source, so a new module is checked too.

The action framework knows no entity (the per-entity modules use it, never the
reverse); one module finds the database and the config for every endpoint; and
SQLAdmin is extended only through its documented points, none of the private
hooks it was once bent with.
"""

from __future__ import annotations

import ast
import re

from tests.foundation.modules import ROOT, import_graph

ADMIN = ROOT / "admin_site"
#: The modules that say what an action is and serve every action.
FRAMEWORK = ("admin_site.actions.framework", "admin_site.actions.pages")
#: SQLAdmin internals Rollbook once called or overrode (issue 11, point 4).
PRIVATE_HOOKS = (
    "_handle_action_decorated_func",
    "_run_arbitrary_query",
    "_get_model_object",
    "sqladmin._queries",
    "from sqladmin._",
    "._run_query",
    "_list_relations",
    "_UNSET",
    "_column_labels",
    "_prop_names",
)


def test_the_action_framework_imports_no_area_of_actions() -> None:
    graph = import_graph()
    areas = {
        module
        for module in graph
        if module.startswith("admin_site.actions.") and module not in FRAMEWORK
    }

    for module in FRAMEWORK:
        assert not {found.target for found in graph[module]} & areas, module


def test_only_the_request_context_reads_the_database_or_config_off_the_app() -> None:
    readers = []
    for path in sorted(ADMIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            read = (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Load)
                and node.attr in {"db", "config"}
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "state"
            )
            if read:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert readers == [], "use admin_site.request_context.database / config"
    context = (ADMIN / "request_context.py").read_text()
    assert re.search(r'getattr\(request\.app\.state, "db"', context)


def test_the_admin_uses_none_of_sqladmins_private_hooks() -> None:
    sources = [*ADMIN.rglob("*.py"), *ADMIN.rglob("*.html")]
    found = [
        f"{path.relative_to(ROOT)}: {hook}"
        for path in sources
        for hook in PRIVATE_HOOKS
        if hook in path.read_text()
    ]

    assert found == []


def test_every_view_that_lets_staff_create_or_edit_writes_through_its_own_domain_service() -> None:
    # RollbookView's create_record / update_record refuse; a view offering the form
    # must replace them, or staff would meet the refusal instead of a saved row.
    from admin_site.views import ALL_VIEWS
    from admin_site.views.base import RollbookView

    missing = [
        f"{view.__name__}.{hook}"
        for view in ALL_VIEWS
        if issubclass(view, RollbookView)
        for hook, offered in (("create_record", view.can_create), ("update_record", view.can_edit))
        if offered and getattr(view, hook) is getattr(RollbookView, hook)
    ]

    assert missing == []
