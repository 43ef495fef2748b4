"""The import report in words: one line per element of the document."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OUTCOMES = {
    "service": _("Became the online service (XDatenfelder %(format)s)."),
    "step": _("Became a step."),
    "step_optional": _("Became a step (optional group: its fields are optional)."),
    "step_repeating": _("Became a repeating step (%(min)s to %(max)s entries)."),
    "split": _("A large group: its nested groups became steps of their own."),
    "flattened": _("Its fields are asked on step %(step)s."),
    "repeat_once": _("Repeats in the schema, asked once here: check with the author."),
    "field": _("Became a field on step %(step)s (%(type)s)."),
    "role_email": _("Became the applicant's email address on step %(step)s (confirmation with the PDF)."),
    "role_family_name": _("Became the applicant's name on step %(step)s (back office search)."),
    "select": _("Became a choice on step %(step)s (code list)."),
    "computed": _("Hidden field with a fixed value on step %(step)s."),
    "prefilled": _("Locked field, prefilled, on step %(step)s."),
    "attachment": _("Became an upload on step %(step)s."),
    "explanatory_text": _("Shown as explanatory text on step %(step)s."),
    "renamed": _("The id occurs twice on one step: stored as %(new)s."),
    "not_supported": _("Not supported (%(what)s): left out, listed for the author."),
    "condition": _("Became a condition: step %(step)s is asked only if %(field)s is %(value)s."),
    "rule_listed": _("Rule on %(on)s not expressible as a condition: listed for the author, not run."),
}
KINDS = {"schema": _("schema"), "group": _("group"), "field": _("field"), "rule": _("rule")}


def lines(report: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report as rows for the admin page."""
    rows = []
    for entry in report:
        message = OUTCOMES.get(entry["outcome"], entry["outcome"])
        rows.append(
            {
                **entry,
                "kind_label": str(KINDS.get(entry["kind"], entry["kind"])),
                "text": str(message) % entry.get("params", {}),
            }
        )
    return rows


def counts(report: list[dict[str, Any]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for entry in report:
        found[entry["outcome"]] = found.get(entry["outcome"], 0) + 1
    return found
