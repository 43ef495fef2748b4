"""The channel plugin interface. A channel is a plugin app in contrib/<name>/
(docs/writing-a-channel.md): a class with a name, a label, a typed options form
(options.py), `deliver()` and `test_connection()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from .options import ChannelOptionsForm, validate

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


class ConnectionTestFailed(Exception):
    """ "Verbindung testen" found a problem; the message is for the city administrator."""


class Channel:
    name: ClassVar[str]
    label: ClassVar[str | Promise]
    options_form: ClassVar[type[ChannelOptionsForm]]

    def options_from(self, options: dict[str, Any], secrets: dict[str, Any] | None = None) -> ChannelOptionsForm:
        """The channel's options form, bound to options given as a dict (plain
        and secret values together) and valid; else ValidationError."""
        form = validate(self.options_form, options, secrets)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label if f in form.fields else f}: {e}" for f, es in form.errors.items() for e in es]
            )
        return form

    def validate_options(self, options: dict[str, Any], secrets: dict[str, Any] | None = None) -> dict[str, Any]:
        """The cleaned values of options given as a dict; else ValidationError."""
        return dict(self.options_from(options, secrets).cleaned_data)

    def test_connection(self, target: DeliveryTarget) -> str:
        """Exercise the real connection without delivering anything; return a
        sentence for the city administrator or raise ConnectionTestFailed."""
        raise NotImplementedError

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        """Deliver; return a checkpoint (recorded on the step). Raise DeliveryError to retry."""
        raise NotImplementedError

    def describe(self, result: dict[str, Any]) -> str:
        """One sentence about a delivery step's checkpoint for the back office
        and the admin (e.g. the far side's case number); empty if nothing to say."""
        return ""
