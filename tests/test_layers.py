"""The layer order of docs/architecture.md, held by reading every import of ``warta/``.

An app may import only the apps of lower layers: never one of its own layer, never one
above it, so no two apps import each other, directly or through a loop. Imports inside
functions count the same as those at the top of a module; tests and migrations are left
out (a test may use any app to set a scene). Upward needs go through signals, registries
filled in ``AppConfig.ready()``, or settings naming a class.
"""

import ast
import re
from pathlib import Path

import pytest

WARTA = Path(__file__).resolve().parent.parent / "warta"
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"

# Lowest first; the apps of one tuple are one layer and know nothing of each other.
LAYERS = (
    ("core",),
    ("pagecache",),
    ("accounts",),
    ("blogs",),
    ("posts",),
    ("comments",),
    ("search",),
    ("followers", "stats"),
    ("reader", "syndication", "desk"),
    ("migration",),
    ("devtools",),
)
RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}
# Project-level modules beside the apps: they wire the apps together and may use any.
PROJECT_MODULES = {"settings", "urls", "wsgi", "manage", "asgi"}


def imported_apps(source, module):
    """``(app, line)`` for every Warta app that a module's source imports."""
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "warta" and parts[1] not in PROJECT_MODULES:
                yield parts[1], node.lineno


def upward_imports(source, module):
    """What a module imports against the layer order, as ``"line: app -> app"``."""
    app = module.split(".")[1]
    return [
        f"{line}: {app} -> {target}"
        for target, line in imported_apps(source, module)
        if target != app and RANK.get(target, len(LAYERS)) >= RANK[app]
    ]


def app_modules():
    for path in sorted(WARTA.rglob("*.py")):
        relative = path.relative_to(WARTA)
        if len(relative.parts) < 2 or {"tests", "migrations"} & set(relative.parts):
            continue
        module = ".".join(("warta", *relative.with_suffix("").parts))
        yield module.removesuffix(".__init__"), path


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in WARTA.glob("*/apps.py")}
    assert apps == set(RANK)


def test_no_app_imports_its_own_layer_or_one_above_it():
    found = {
        module: problems
        for module, path in app_modules()
        if (problems := upward_imports(path.read_text(encoding="utf-8"), module))
    }
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        "from warta.posts.models import Post",
        "def later():\n    from warta.reader import views",
        "import warta.comments.models",
        "from ..comments import thread",
    ],
)
def test_an_upward_import_is_found_wherever_it_stands(source):
    assert upward_imports(source, "warta.blogs.models") != []


def test_imports_of_lower_layers_and_of_the_app_itself_are_fine():
    source = (
        "from warta.core.markup import render\nfrom . import services\nfrom .models import Blog"
    )
    assert upward_imports(source, "warta.blogs.views") == []


def test_the_architecture_document_states_the_same_order():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    stated = re.search(r"^Layers, lowest first: (.+)$", text, re.M)
    assert stated, "docs/architecture.md has no 'Layers, lowest first:' line"
    layers = tuple(
        tuple(sorted(re.findall(r"`(\w+)`", layer))) for layer in stated.group(1).split(" < ")
    )
    assert layers == tuple(tuple(sorted(layer)) for layer in LAYERS)


RAW_SQL = re.compile(r"\.cursor\(|\bRawSQL\(|\.raw\(|\.extra\(|\bcursor\.execute(?:many)?\(")


def raw_sql_lines(source):
    """The lines of a module that send SQL of their own to the database."""
    return [
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if RAW_SQL.search(line) and not line.lstrip().startswith("#")
    ]


def test_raw_sql_stands_only_in_modules_named_for_it():
    found = {
        module: lines
        for module, path in app_modules()
        if path.name not in {"reads.py", "sql.py"}
        and (lines := raw_sql_lines(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_a_cursor_or_raw_expression_is_found():
    source = "with connection.cursor() as cursor:\n    cursor.execute('SELECT 1')\nRawSQL('x', [])"
    assert raw_sql_lines(source) == [1, 2, 3]
