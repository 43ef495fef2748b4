"""The channel plugin interface. A channel is a class with a name, a label, an
options validator and `deliver()`; see contrib/ for the three built-in ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from forms_engine.submissions.models import ProcessingStep, Submission

    from .models import DeliveryTarget


class DeliveryError(Exception):
    """A delivery that failed and should be tried again later."""


class PermanentDeliveryError(DeliveryError):
    """A delivery that will never succeed as configured (e.g. a refused URL)."""


@dataclass
class Delivery:
    """What a channel delivers: the submission, its receipt PDF and a key that is
    the same on every try (the processing step's id)."""

    submission: Submission
    pdf: bytes
    idempotency_key: str
    step: ProcessingStep | None = None
    test: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Channel:
    name: ClassVar[str]
    label: ClassVar[str | Promise]

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """Return the cleaned options or raise django.core.exceptions.ValidationError."""
        return options

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        """Deliver; return a checkpoint (recorded on the step). Raise DeliveryError to retry."""
        raise NotImplementedError
