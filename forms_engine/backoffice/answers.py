"""The answers of a case by step, as the back office and the decision letters show them."""

from __future__ import annotations

from typing import Any


def answer_sections(snapshot: Any) -> list[dict[str, Any]]:
    """The answers by step, without the optional questions left empty; a step
    with nothing answered is left out."""
    sections = []
    for step in snapshot if isinstance(snapshot, list) else []:
        fields = [f for f in step.get("fields") or [] if isinstance(f, dict) and f.get("value") not in (None, "")]
        entries = [
            [f for f in entry if isinstance(f, dict) and f.get("value") not in (None, "")]
            for entry in step.get("entries") or []
        ]
        entries = [entry for entry in entries if entry]
        if fields or entries:
            sections.append({"title": step.get("title"), "fields": fields, "entries": entries})
    return sections
