"""`staff/` is the floor every app stands on: it imports none of the apps
above it, so any app may import it without a cycle (docs/decisions.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import forms_engine

ENGINE = Path(forms_engine.__file__).parent
FLOOR = {"forms_engine.staff", "forms_engine.lib", "forms_engine.tenants"}


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_staff_imports_only_the_floor() -> None:
    offending = []
    for path in sorted((ENGINE / "staff").rglob("*.py")):
        for module in imported_modules(path):
            if module.startswith("forms_engine.") and not any(
                module == floor or module.startswith(floor + ".") for floor in FLOOR
            ):
                offending.append(f"{path.relative_to(ENGINE)} imports {module}")
    assert not offending, "\n".join(offending)


def test_staff_owns_sign_in_and_the_admin_site_and_backoffice_only_casework() -> None:
    staff = {p.name for p in (ENGINE / "staff").glob("*.py")}
    assert {"admin_site.py", "auth_views.py", "auth_forms.py", "models.py", "urls.py"} <= staff
    backoffice = {p.name for p in (ENGINE / "backoffice").glob("*.py")}
    assert not {"admin_site.py", "auth_views.py", "auth_forms.py", "casework.py", "tasks.py"} & backoffice
    from forms_engine.staff.admin_site import CityOwnedAdmin, site
    from forms_engine.staff.models import StaffUser

    assert issubclass(CityOwnedAdmin, object) and site.name == "admin"
    assert StaffUser._meta.db_table == "backoffice_staffuser"
