"""The import directions of docs/architecture.md hold for every module, read from its source.

domain <- site_kit <- admin_site, public_site <- rollbook (and bench, the
benchmarks, on top): a package imports only the packages below it, ``domain``
no web framework, ``site_kit`` nothing but ``domain`` and Starlette, and no
package has an import cycle between its modules, late imports included.
"""

from __future__ import annotations

import re
import sys

from tests.foundation.modules import PACKAGES, ROOT, Import, import_graph, top

DOC = ROOT / "docs" / "architecture.md"
REFERENCE = re.compile(r"`([\w/]+\.py)::(\w+)`")

#: Rollbook's packages each package may import, besides itself.
MAY_IMPORT = {
    "domain": set(),
    "site_kit": {"domain"},
    "admin_site": {"domain", "site_kit"},
    "public_site": {"domain", "site_kit"},
    "rollbook": {"domain", "site_kit", "admin_site", "public_site"},
    "bench": {"domain", "site_kit", "admin_site", "public_site", "rollbook"},
}
WEB_FRAMEWORKS = {
    "starlette",
    "sqladmin",
    "wtforms",
    "jinja2",
    "uvicorn",
    "multipart",
    "python_multipart",
    "itsdangerous",
    "httpx",
}
#: Outside the standard library, all ``site_kit`` may import.
SITE_KIT_LIBRARIES = {"starlette"}
#: The benchmarks seed their data with the tests' factories; nothing shipped may.
MAY_IMPORT_TESTS = {"bench"}


def _wrong_imports(allowed: dict[str, set[str]] = MAY_IMPORT) -> list[str]:
    wrong = []
    for module, imports in import_graph().items():
        package = top(module)
        for found in imports:
            target = top(found.target)
            if target == package:
                continue
            if target in PACKAGES and target not in allowed[package]:
                wrong.append(_say(module, found, f"{package} may not import {target}"))
            elif target == "tests" and package not in MAY_IMPORT_TESTS:
                wrong.append(_say(module, found, "only the tests and benchmarks import tests"))
            elif package == "domain" and target in WEB_FRAMEWORKS:
                wrong.append(_say(module, found, "domain imports no web framework"))
            elif package == "site_kit" and not _site_kit_may_use(target):
                wrong.append(_say(module, found, "site_kit imports only domain and Starlette"))
    return wrong


def _site_kit_may_use(target: str) -> bool:
    return target in sys.stdlib_module_names or target in SITE_KIT_LIBRARIES | {"domain"}


def _say(module: str, found: Import, rule: str) -> str:
    when = " (inside a function)" if found.late else ""
    return f"{module}:{found.line} imports {found.target}{when}: {rule}"


def _cycles() -> list[list[str]]:
    """Modules of one package that import each other, directly or round a loop."""
    graph = import_graph()
    edges = {
        module: sorted(
            {i.target for i in imports if i.target in graph and top(i.target) == top(module)}
            - {module}
        )
        for module, imports in graph.items()
    }
    return [sorted(group) for group in _strongly_connected(edges) if len(group) > 1]


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    # Tarjan's algorithm, iterative so a deep package cannot overflow the stack.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def test_every_package_imports_only_the_packages_below_it() -> None:
    assert _wrong_imports() == []


def test_no_package_has_an_import_cycle_between_its_modules() -> None:
    assert _cycles() == []


def test_the_check_reads_every_module_of_every_package() -> None:
    graph = import_graph()
    assert {top(module) for module in graph} == set(PACKAGES)
    assert "domain.db.mapping" in graph and "admin_site.app" in graph
    assert not any(module.startswith("domain.db.migrations") for module in graph)
    late = [i for i in graph["rollbook.asgi"] if i.late]
    assert {i.target for i in late} >= {"admin_site.app", "public_site.app"}


def test_the_check_notices_an_import_against_the_direction() -> None:
    # The same tree judged by rules under which public_site may not import domain.
    stricter = {**MAY_IMPORT, "public_site": {"site_kit"}}
    assert any("public_site may not import domain" in wrong for wrong in _wrong_imports(stricter))


def test_the_cycle_finder_finds_a_loop_and_nothing_else() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": []}
    assert sorted(sorted(g) for g in _strongly_connected(edges) if len(g) > 1) == [["a", "b", "c"]]


def test_the_architecture_doc_names_every_package_and_only_real_code() -> None:
    text = DOC.read_text()
    for package in PACKAGES:
        assert f"| `{package}` |" in text, f"docs/architecture.md does not describe {package}"
    references = REFERENCE.findall(text)
    assert len(references) > 25, "the rule table cites too little"
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not (ROOT / path).is_file() or not _defines((ROOT / path).read_text(), name)
    ]
    assert missing == [], f"docs/architecture.md cites what does not exist: {missing}"


def _defines(source: str, name: str) -> bool:
    pattern = rf"^\s*(?:async\s+def|def|class)\s+{name}\b|^{name}\s*(?::[^=]+)?="
    return re.search(pattern, source, re.MULTILINE) is not None
