"""XDatenfelder 2.0 / 3.0.0 -> a service definition (plain JSON) and an import
report. The definition is what a data service is built from (build.py); the
report lists every element of the document and what became of it.

Mapping (docs/fim.md): each top-level group is a step; inside a large group
(more than SPLIT_AT fields) and for a repeating nested group, the nested groups
become steps of their own; deeper groups are flattened into their step. Step
names are the group ids and field names the field ids, so the published JSON
Schema is keyed by FIM ids."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from lxml import etree

from . import xdf
from .safexml import ImportRefused, Problem, local, parse

SPLIT_AT = 12
MAX_REPEAT = 20
TEXT_KINDS = {"text", "text_latin", "date", "time", "datetime", "bool", "num", "num_int", "num_currency"}
FELDARTEN = {"input", "select", "label", "hidden", "locked"}
# The one rule shape we run: "F… == 'value'" on a group shows its step only then.
# Fields the engine needs to know (confirmation email with the PDF, the back
# office's name search), recognised by their label: FIM has no marker for them.
ROLES = (("email", re.compile(r"e-?mail", re.I)), ("family_name", re.compile(r"^(familien|nach)name", re.I)))
CONDITION = re.compile(r"""^\s*\$?(F\w+)\s*===?\s*["']([^"']*)["']\s*;?\s*$""")


class _Reader:
    def __init__(self, codelists: dict[str, list[list[str]]]) -> None:
        self.codelists = codelists
        self.problems: list[Problem] = []
        self.report: list[dict[str, Any]] = []
        self.steps: list[dict[str, Any]] = []
        self.rules: list[dict[str, Any]] = []
        self.field_steps: dict[str, str] = {}  # field id -> step name, for conditions
        self.roles: dict[str, str] = {}  # "email" | "family_name" -> "step.field"

    def note(self, element: etree._Element, kind: str, outcome: str, **params: Any) -> None:
        ident, _version = xdf.identifier(element)
        self.report.append(
            {
                "id": ident,
                "kind": kind,
                "name": xdf.text(element, "name"),
                "line": element.sourceline,
                "outcome": outcome,
                "params": params,
            }
        )

    # --- structure ----------------------------------------------------------

    def members(self, element: etree._Element) -> list[tuple[etree._Element, int, int | None]]:
        found = []
        for struktur in xdf.children(element, "struktur"):
            try:
                low, high = xdf.cardinality(struktur)
            except ValueError as exc:
                self.problems.append(
                    Problem(
                        _("The cardinality %(value)r is not of the form min:max.") % {"value": str(exc)},
                        struktur.sourceline,
                        "anzahl",
                    )
                )
                continue
            content = xdf.child(struktur, "enthaelt")
            for member in content if content is not None else []:
                if local(member) in {"datenfeldgruppe", "datenfeld"}:
                    found.append((member, low, high))
        return found

    def size(self, group: etree._Element) -> int:
        return sum(self.size(m) if local(m) == "datenfeldgruppe" else 1 for m, _lo, _hi in self.members(group))

    def top_level(self, schema: etree._Element, schema_id: str) -> None:
        loose: list[tuple[etree._Element, int, int | None]] = []
        for member, low, high in self.members(schema):
            if local(member) == "datenfeld":
                loose.append((member, low, high))
                continue
            if loose:
                self.loose_step(schema_id, loose)
                loose = []
            self.group_step(member, low, high, required=low > 0)
        if loose:
            self.loose_step(schema_id, loose)

    def loose_step(self, schema_id: str, fields: list[tuple[etree._Element, int, int | None]]) -> None:
        step = self.new_step(f"{schema_id}-{len(self.steps) + 1}", str(_("Details")), "", None)
        for member, low, high in fields:
            self.field(step, member, low, high, required=True)

    def new_step(self, name: str, title: str, intro: str, repeat: dict[str, int] | None) -> dict[str, Any]:
        step: dict[str, Any] = {"name": name, "title": title, "intro": intro, "repeat": repeat}
        step.update({"fields": [], "attachments": [], "condition": None})
        self.steps.append(step)
        return step

    def group_step(self, group: etree._Element, low: int, high: int | None, *, required: bool) -> None:
        group_id, _version = xdf.identifier(group)
        repeat = None
        if high is None or high > 1:
            repeat = {"min": max(low, 1 if required else 0), "max": min(high or MAX_REPEAT, MAX_REPEAT)}
        title = xdf.text(group, "bezeichnungEingabe") or xdf.text(group, "name") or group_id
        step = self.new_step(group_id, title, xdf.multiline(group, "hilfetextEingabe"), repeat)
        outcome = "step_repeating" if repeat else ("step" if low > 0 else "step_optional")
        self.note(group, "group", outcome, **(repeat or {}))
        self.group_rules(group, step)
        split = self.size(group) > SPLIT_AT
        for member, m_low, m_high in self.members(group):
            if local(member) == "datenfeld":
                self.field(step, member, m_low, m_high, required=required)
            elif split or m_high is None or (m_high or 1) > 1:
                self.group_step(member, m_low, m_high, required=required and m_low > 0)
            else:
                self.flatten(step, member, required=required and m_low > 0)
        if not step["fields"] and not step["attachments"] and not step["intro"]:
            self.steps.remove(step)  # a large group whose nested groups became the steps
            entry = next(e for e in reversed(self.report) if e["id"] == group_id and e["kind"] == "group")
            entry["outcome"], entry["params"] = "split", {}

    def flatten(self, step: dict[str, Any], group: etree._Element, *, required: bool) -> None:
        self.note(group, "group", "flattened", step=step["name"])
        self.group_rules(group, None)
        for member, low, high in self.members(group):
            if local(member) == "datenfeld":
                self.field(step, member, low, high, required=required)
            else:
                if high is None or high > 1:
                    self.note(member, "group", "repeat_once")
                self.flatten(step, member, required=required and low > 0)

    # --- fields -------------------------------------------------------------

    def field(
        self, step: dict[str, Any], element: etree._Element, low: int, high: int | None, *, required: bool
    ) -> None:
        field_id, _version = xdf.identifier(element)
        if not field_id:
            self.problems.append(Problem(_("The data field has no id."), element.sourceline, "datenfeld"))
            return
        feldart, datentyp = xdf.code(element, "feldart"), xdf.code(element, "datentyp")
        label = xdf.text(element, "bezeichnungEingabe") or xdf.text(element, "name") or field_id
        hint = xdf.multiline(element, "hilfetextEingabe")
        for rule in xdf.rules(element):
            self.list_rule(rule, field_id)
        if high is None or high > 1:
            self.note(element, "field", "repeat_once")
        if feldart == "label":
            content = xdf.multiline(element, "inhalt") or hint or label
            step["intro"] = "\n\n".join(t for t in (step["intro"], content) if t)
            self.note(element, "field", "explanatory_text", step=step["name"])
            return
        if feldart not in FELDARTEN:
            self.note(element, "field", "not_supported", what=f"feldart {feldart or '–'}")
            return
        if datentyp == "file":
            step["attachments"].append(
                {"key": field_id, "label": label, "hint": hint, "required": required and low > 0}
            )
            self.note(element, "field", "attachment", step=step["name"])
            return
        if datentyp not in TEXT_KINDS:
            self.note(element, "field", "not_supported", what=f"datentyp {datentyp or '–'}")
            return
        name = field_id
        taken = {f["name"] for f in step["fields"]}
        while name in taken:
            name = f"{name}_{len(taken) + 1}"
        if name != field_id:
            self.note(element, "field", "renamed", new=name)
        spec: dict[str, Any] = {
            "name": name,
            "fim_id": field_id,
            "kind": datentyp,
            "label": label,
            "hint": hint,
            "required": required and low > 0,
            **xdf.precision(element, self.problems),
        }
        if feldart == "select":
            choices = xdf.inline_values(element)
            uri = xdf.codelist_uri(element)
            if not choices and uri:
                choices = self.codelists.get(uri, [])
                if not choices:
                    self.problems.append(
                        Problem(
                            _("The code list %(uri)s is missing: upload it with the document.") % {"uri": uri},
                            element.sourceline,
                            "codelisteReferenz",
                        )
                    )
            if not choices and not uri:
                self.problems.append(
                    Problem(_("A select field needs a code list."), element.sourceline, "codelisteReferenz")
                )
            spec["kind"], spec["choices"] = "select", choices
        if feldart in {"hidden", "locked"}:
            spec["kind"] = feldart
            spec["value"] = xdf.text(element, "inhalt")
            spec["required"] = False
        role = next((r for r, pattern in ROLES if pattern.search(label)), None)
        if role and spec["kind"] in {"text", "text_latin"} and not step.get("repeat") and role not in self.roles:
            self.roles[role] = f"{step['name']}.{name}"
            if role == "email":
                spec["kind"] = "email"
                spec.pop("pattern", None)
            self.note(element, "field", f"role_{role}", step=step["name"])
        step["fields"].append(spec)
        self.field_steps[field_id] = step["name"]
        if not role:
            outcome = {"select": "select", "hidden": "computed", "locked": "prefilled"}.get(spec["kind"], "field")
            self.note(element, "field", outcome, step=step["name"], type=datentyp)

    # --- rules --------------------------------------------------------------

    def group_rules(self, group: etree._Element, step: dict[str, Any] | None) -> None:
        group_id, _version = xdf.identifier(group)
        for rule in xdf.rules(group):
            match = CONDITION.match(rule["script"])
            source = self.field_steps.get(match.group(1)) if match else None
            if step is not None and match and source and source != step["name"]:
                step["condition"] = {"step": source, "field": match.group(1), "equals": match.group(2)}
                self.rule_entry(rule, "condition", step=step["name"], field=match.group(1), value=match.group(2))
            else:
                self.list_rule(rule, group_id)

    def list_rule(self, rule: dict[str, Any], where: str) -> None:
        self.rules.append({**rule, "on": where})
        self.rule_entry(rule, "rule_listed", on=where)

    def rule_entry(self, rule: dict[str, Any], outcome: str, **params: Any) -> None:
        entry = {"id": rule["id"], "kind": "rule", "name": rule["name"], "line": rule["line"]}
        self.report.append({**entry, "outcome": outcome, "params": params})


def read(data: bytes, codelists: dict[str, list[list[str]]] | None = None) -> tuple[dict[str, Any], list[Any]]:
    """(definition, report), or ImportRefused listing every problem found."""
    root = parse(data)
    namespace = etree.QName(root).namespace or ""
    fim_format = xdf.NAMESPACES.get(namespace)
    if fim_format is None:
        raise ImportRefused(
            [
                Problem(
                    _("Unknown namespace %(ns)s: expected XDatenfelder 2.0 or 3.0.0.") % {"ns": namespace or "–"},
                    root.sourceline,
                    local(root),
                )
            ]
        )
    if local(root) not in xdf.ROOTS:
        raise ImportRefused([Problem(_("This is not a Stammdatenschema message."), root.sourceline, local(root))])
    schema = xdf.child(root, "stammdatenschema")
    if schema is None:  # v3 group message: the group is the schema
        schema = xdf.child(root, "datenfeldgruppe")
    if schema is None:
        raise ImportRefused([Problem(_("The message has no schema."), root.sourceline, local(root))])
    schema_id, version = xdf.identifier(schema)
    if not schema_id or not version:
        raise ImportRefused([Problem(_("The schema has no id or version."), schema.sourceline, "identifikation")])
    reader = _Reader(codelists or {})
    reader.note(schema, "schema", "service", format=fim_format)
    reader.top_level(schema, schema_id)
    for rule in xdf.rules(schema):
        reader.list_rule(rule, schema_id)
    if not reader.steps and not reader.problems:
        reader.problems.append(Problem(_("The schema contains no fields."), schema.sourceline, "struktur"))
    if reader.problems:
        raise ImportRefused(reader.problems)
    definition = {
        "format": fim_format,
        "schema_id": schema_id,
        "version": version,
        "title": xdf.text(schema, "bezeichnungEingabe") or xdf.text(schema, "name") or schema_id,
        "description": xdf.multiline(schema, "beschreibung"),
        "steps": reader.steps,
        "rules": reader.rules,
        "roles": reader.roles,
    }
    return definition, reader.report
