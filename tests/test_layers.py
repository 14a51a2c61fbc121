"""The direction of imports: domain and db (and services) never import Textual; domain
imports nothing of ours outside domain (but the asset locator)."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import daman_tui

PACKAGE = Path(daman_tui.__file__).parent


def _modules(sub: str) -> list[str]:
    base = PACKAGE / sub
    return [
        f"daman_tui.{sub}.{info.name}"
        for info in pkgutil.walk_packages([str(base)])
        if "migrations" not in info.name
    ] + [f"daman_tui.{sub}"]


def test_domain_db_and_services_do_not_import_textual():
    modules = _modules("domain") + _modules("db") + _modules("services")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"UI toolkit imported by the lower layers: {out.stdout}"


def test_domain_imports_only_domain():
    for path in (PACKAGE / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("daman_tui")
            ):
                assert node.module.startswith(("daman_tui.domain", "daman_tui.paths")), (
                    f"{path.name} imports {node.module}"
                )
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                )
                for name in names:
                    assert name.split(".")[0] not in (
                        "sqlalchemy",
                        "sqlmodel",
                        "textual",
                        "rich",
                    ), f"{path.name} imports {name}"


def test_screens_do_not_touch_the_database():
    for path in (PACKAGE / "screens").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("sqlmodel", "sqlalchemy", "daman_tui.db", ".read()", ".write("):
            assert forbidden not in text, f"{path.name} uses {forbidden}: screens call services"
