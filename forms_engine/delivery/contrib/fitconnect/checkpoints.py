"""The channel's checkpoint on its processing step (`result["fitconnect"]`),
written at once after each remote step so that a retry, even after the
worker died, resumes where the last try stopped."""

from __future__ import annotations

from typing import Any


class Checkpoint:
    def __init__(self, step: Any) -> None:
        self.step = step
        self.data: dict[str, Any] = dict(((step.result or {}) if step is not None else {}).get("fitconnect") or {})

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def save(self, **values: Any) -> dict[str, Any]:
        self.data.update(values)
        if self.step is not None:  # a test delivery has no step and keeps nothing
            from forms_engine.submissions.models import ProcessingStep

            self.step.result = {**(self.step.result or {}), "fitconnect": self.data}
            ProcessingStep.objects.filter(pk=self.step.pk).update(result=self.step.result)
        return self.data
