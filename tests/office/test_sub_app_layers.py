"""The layers of the office's own rules (README, Architecture): the core package imports none of
its sub-apps, and the sub-apps read the workflow apps only through their selectors."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUB_APPS = ("information", "study", "research", "assessment")
WORKFLOW_APPS = ("documents", "supervision", "meetings")


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_the_core_imports_none_of_its_sub_apps():
    core = [p for p in (ROOT / "office").rglob("*.py")
            if not any(part in SUB_APPS + ("dashboard",) for part in p.relative_to(ROOT / "office").parts)]
    found = {(str(p.relative_to(ROOT)), name) for p in core for name in imports(p)
             if any(name == f"office.{s}" or name.startswith(f"office.{s}.") for s in SUB_APPS)}
    assert found == set()


def test_the_sub_apps_read_the_workflow_apps_only_through_their_selectors():
    found = set()
    for sub in SUB_APPS:
        for path in (ROOT / "office" / sub).rglob("*.py"):
            for name in imports(path):
                top = name.split(".")[0]
                if top in WORKFLOW_APPS and not (name.endswith(".selectors") or ".selectors." in name):
                    found.add((str(path.relative_to(ROOT)), name))
    assert found == set()
