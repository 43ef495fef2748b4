"""Every place that switches the tenant guard off is known and has a reason,
like the model walk for scoped managers: a new ``scopes_disabled()`` fails here
until it is added below with why it is safe, and a removed one must leave."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("forms_engine", "services", "config")

OPERATOR_GAUGES = "Prometheus gauges for the operator: counts per city, no content"
# "<path>:<function>" -> why reading across cities (or before a city is known) is right there.
ALLOWED = {
    "forms_engine/delivery/contrib/pullapi/auth.py:PullTokenAuthentication.authenticate": (
        "the bearer token is what names the city; the view opens that city's scope right after"
    ),
    "forms_engine/tenants/hosts.py:city_for_host.lookup": "host -> city lookup, before any city is known",
    "forms_engine/tenants/links.py:city_base_url": "a city's own primary domain, read by id outside requests too",
    "forms_engine/tenants/views.py:platform_start": "the platform host lists the cities (names and hosts only)",
    "forms_engine/staff/admin_site.py:GemeinsamAdminSite.admin_view.wrapper": (
        "the operator's admin on a platform host: every city by design, operators only"
    ),
    "forms_engine/tenants/management/commands/demo.py:Command.handle": "seeding demo cities: no request, no tenant",
    "forms_engine/submissions/management/commands/reencrypt.py:Command.handle": (
        "key rotation rewrites every city's encrypted rows"
    ),
    "forms_engine/submissions/pipeline.py:start": "a task given a submission id finds its city first",
    "forms_engine/submissions/pipeline.py:enqueue_followups": "works by submission id; the city comes from the row",
    "forms_engine/submissions/pipeline.py:sweep": "the periodic sweep re-finds stuck work of every city",
    "forms_engine/submissions/retention.py:run_all": "retention deletes expired data of every city",
    "forms_engine/submissions/confirmation.py:send_confirmation": (
        "the confirmation email reads the office of the submission's own city (filtered by that city)"
    ),
    "forms_engine/documents/render.py:receipt_context": "the receipt reads the submission's own city by id",
    "forms_engine/lib/metrics.py:StateCollector._submissions": OPERATOR_GAUGES,
    "forms_engine/lib/metrics.py:StateCollector._processing_steps": OPERATOR_GAUGES,
    "forms_engine/analytics/rollup.py:delete_old_events": "anonymous usage events of every city expire together",
    "forms_engine/catalog/actions.py:city_create": "the operator creates a new city: there is no tenant yet",
    "forms_engine/catalog/checklist.py:city_checklist": "the setup checklist of one city; every query names that city",
    "forms_engine/catalog/city_setup.py:CitySetupForm.clean_host": "a new city's host must not be any city's host yet",
    "forms_engine/catalog/models.py:_forget_renamed": "the old city and slug of the row being saved (by primary key)",
    "forms_engine/catalog/texts.py:city_text": "the text of one city service, filtered by that city and service",
    "forms_engine/catalog/texts.py:text_overview": "the texts of one city service, filtered by that city service",
    "forms_engine/lib/metrics.py:StateCollector._oldest_due": OPERATOR_GAUGES,
    "forms_engine/analytics/abandonment.py:count_all": "lists the cities; each is then counted inside its own scope",
    "forms_engine/analytics/dcat.py:_period": (
        "first day and last roll-up of the published (opted-in) cities' aggregates, for the catalogue dates"
    ),
    "forms_engine/analytics/demo.py:seed_quarter": "seeding demo figures: no request, no tenant",
    "forms_engine/backoffice/notice_tasks.py:daily_notices": "the daily planner lists the cities, then works per city",
    "forms_engine/delivery/contrib/fitconnect/events.py:poll_all": (
        "the periodic poll finds FIT-Connect steps awaiting events in every city, then works per step's city"
    ),
    "forms_engine/submissions/management/commands/reindex_names.py:Command.handle": (
        "rebuilding the name index rewrites every city's rows (operator command)"
    ),
    "forms_engine/analytics/management/commands/analytics_rollup.py:Command.handle": (
        "the rollup aggregates anonymous events of every city"
    ),
    "forms_engine/analytics/tasks.py:rollup_recent": "the rollup aggregates anonymous events of every city",
    "forms_engine/analytics/metrics.py:fetch": "dashboard figures across cities: aggregates, suppressed below five",
    "forms_engine/analytics/comparison.py:participants": "the comparison dashboard lists opted-in cities",
    "forms_engine/analytics/views.py:dashboard_cities": "operators choose a city for the dashboard: the list of cities",
    "forms_engine/analytics/health.py:processing_health": "processing health per city for the operator: counts only",
    "forms_engine/payments/tasks.py:poll_all": (
        "the payment poller lists the cities with open payments, then polls each inside its own scope"
    ),
}


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.stack: list[str] = []
        self.found: list[tuple[str, int]] = []

    def _scoped(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scoped

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "scopes_disabled":
            self.found.append((".".join(self.stack) or "<module>", node.lineno))
        self.generic_visit(node)


def uses() -> dict[str, int]:
    """Every scopes_disabled() call, by "<path>:<enclosing function>"."""
    found: dict[str, int] = {}
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            finder = _Finder()
            finder.visit(ast.parse(path.read_text(), str(path)))
            for function, line in finder.found:
                key = f"{path.relative_to(ROOT)}:{function}"
                found.setdefault(key, line)
    return found


def test_every_scopes_disabled_is_allowed_with_a_reason() -> None:
    found = uses()
    unknown = sorted(f"{key} (line {line})" for key, line in found.items() if key not in ALLOWED)
    assert not unknown, "scopes_disabled() without a reason in ALLOWED:\n" + "\n".join(unknown)
    gone = sorted(set(ALLOWED) - set(found))
    assert not gone, "ALLOWED names places that no longer switch the guard off:\n" + "\n".join(gone)
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_pull_api_has_one_scopes_disabled_only() -> None:
    """Finding 9: the pull API opens the token's city scope once per request."""
    pull = [key for key in uses() if "/pullapi/" in key]
    assert pull == ["forms_engine/delivery/contrib/pullapi/auth.py:PullTokenAuthentication.authenticate"]
