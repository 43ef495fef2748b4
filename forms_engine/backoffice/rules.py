"""Rules that do the routine work (rule_models.py): evaluated over a plain
record of one case (`Facts`), run in their own processing step (kind "rules")
so that a failing rule never blocks the pipeline, and tried as a dry run that
writes nothing.

Every action of a rule goes through the same actions as a caseworker's and is
audited as "automatisch (Regel …)". A rule decides nothing alone where a person
has to confirm (`Rule.needs_confirmation`, or four eyes on the service): then
it proposes, and a caseworker confirms (decisions.py). Everything a rule
touches is checked to be of the case's own city."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.submissions.models import ProcessingStep, Submission

from .models import AuditEvent, Note, Rule, RuleAction, RuleCondition
from .rule_actions import _DO, RuleFailed, _audit, describe

logger = logging.getLogger(__name__)
Status = Submission.Status
C = RuleCondition.Kind
A = RuleAction.Kind
OPEN = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING)


class Facts:
    """What conditions look at, as plain values: answers by "step.field" (as
    text), the keys of the documents handed in, the fee, paid online or not.
    Documents and payment are read only when a condition asks for them."""

    def __init__(self, submission: Submission) -> None:
        data = submission.data if isinstance(submission.data, dict) else {}
        self.answers: dict[str, str] = {
            f"{step}.{name}": _text(value)
            for step, values in data.items()
            if isinstance(values, dict)
            for name, value in values.items()
        }
        self.fee: Decimal | None = None
        if isinstance(submission.fee, dict) and submission.fee.get("amount") not in (None, ""):
            self.fee = _amount(str(submission.fee["amount"]))
        self._submission = submission

    @functools.cached_property
    def attachments(self) -> frozenset[str]:
        return frozenset(self._submission.attachments.values_list("key", flat=True))

    @functools.cached_property
    def paid_online(self) -> bool:
        from forms_engine.payments.downstream import paid_request

        return paid_request(self._submission) is not None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def facts_of(submission: Submission) -> Facts:
    return Facts(submission)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        return None


def holds(condition: RuleCondition | Check, facts: Facts) -> bool:
    answer = facts.answers.get(condition.field, "").strip().casefold()
    wanted = condition.value.strip().casefold()
    kind = condition.kind
    if kind == C.ANSWER_IS:
        return answer == wanted
    if kind == C.ANSWER_IS_NOT:
        return answer != wanted
    if kind == C.ANSWER_CONTAINS:
        return wanted in answer
    if kind == C.ANSWER_GIVEN:
        return answer not in ("", "false")
    if kind == C.ATTACHMENT:
        return condition.field in facts.attachments
    if kind in (C.FEE_AT_LEAST, C.FEE_AT_MOST):
        limit = _amount(condition.value)
        if limit is None or facts.fee is None:
            return False
        return facts.fee >= limit if kind == C.FEE_AT_LEAST else facts.fee <= limit
    if kind == C.PAID_ONLINE:
        return facts.paid_online
    if kind == C.NOT_PAID_ONLINE:
        return not facts.paid_online
    return False


@dataclass(frozen=True)
class Check:
    """One condition as plain values (holds() takes it or a RuleCondition)."""

    kind: str
    field: str
    value: str


@dataclass(frozen=True)
class LoadedRule:
    pk: int
    name: str
    checks: tuple[Check, ...]


def load_rules(city_id: int, service_slug: str, trigger: str) -> list[LoadedRule]:
    """The active rules of one city service for one cause with their conditions,
    in order, in one query (a LEFT JOIN); actions are read only for a rule that
    matches. The rule's city and its city service's city must both be the case's."""
    rows = (
        Rule.objects.filter(
            city=city_id,
            city_service__city=city_id,
            city_service__service_slug=service_slug,
            trigger=trigger,
            enabled=True,
        )
        .order_by("position", "pk", "conditions__pk")
        .values_list("pk", "name", "conditions__kind", "conditions__field", "conditions__value")
    )
    loaded: dict[int, tuple[str, list[Check]]] = {}
    for pk, name, kind, field_name, value in rows:
        checks = loaded.setdefault(pk, (name, []))[1]
        if kind is not None:
            checks.append(Check(kind, field_name, value))
    return [LoadedRule(pk, name, tuple(checks)) for pk, (name, checks) in loaded.items()]


def matches(rule: LoadedRule, facts: Facts) -> bool:
    return all(holds(c, facts) for c in rule.checks)


def _with_actions(pk: int) -> Rule:
    actions = RuleAction.objects.select_related("assignee", "delivery_target", "letter_template").order_by("pk")
    return Rule.objects.prefetch_related(Prefetch("actions", actions)).get(pk=pk)


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run_rules(submission: Submission, trigger: str) -> Outcome:
    """Each matching rule with all its actions in one savepoint: a rule either
    does all of its work or none of it. A failing rule leaves a note on the
    case and an audit event; the next rule and the pipeline go on."""
    from .actions import ActionRefused

    outcome = Outcome()
    for loaded in load_rules(submission.city_id, submission.service_slug, trigger):
        current = Submission.objects.get(pk=submission.pk)
        if not current.is_open or not matches(loaded, facts_of(current)):
            continue
        rule = _with_actions(loaded.pk)
        try:
            with transaction.atomic():
                for action in rule.actions.all():
                    _DO[action.kind](rule, action, current)
                    current.refresh_from_db()
        except (RuleFailed, ActionRefused) as exc:
            _failed(rule, current, str(exc))
            outcome.failed.append(rule.name)
        except Exception as exc:  # a bug or bad data must not stop the case: note it, go on
            logger.warning("rules.failed rule=%s submission=%s error=%s", rule.pk, submission.pk, type(exc).__name__)
            _failed(rule, current, type(exc).__name__)
            outcome.failed.append(rule.name)
        else:
            outcome.done.append(rule.name)
    return outcome


def _failed(rule: Rule, submission: Submission, reason: str) -> None:
    with transaction.atomic():
        Note.objects.create(
            city=submission.city,
            submission=submission,
            by=None,
            text=_("Rule “%(name)s” failed and did nothing: %(reason)s. Please handle the case by hand.")
            % {"name": rule.name, "reason": reason.rstrip(".")},
        )
        _audit(rule, submission, reason, AuditEvent.Action.RULE_FAILED)


def plan_rules(submission: Submission, trigger: str, key: str = "") -> ProcessingStep | None:
    """Inside the causing transaction: one "rules" step per cause, if the
    service has active rules for it (none: no step)."""
    from forms_engine.submissions import pipeline

    if not Rule.objects.filter(
        city=submission.city_id,
        city_service__service_slug=submission.service_slug,
        trigger=trigger,
        enabled=True,
    ).exists():
        return None
    step, created = ProcessingStep.objects.get_or_create(
        submission=submission,
        kind=ProcessingStep.Kind.RULES,
        target_id=f"{trigger}:{key}"[:64],
        defaults={
            "city": submission.city,
            "next_try_at": timezone.now() + timedelta(seconds=settings.PROCESSING_SWEEP_GRACE),
        },
    )
    if created:
        transaction.on_commit(lambda: pipeline.enqueue(step))
    return step if created else None


def run_rules_step(step: ProcessingStep) -> dict[str, Any]:
    """The rules step's work. A second run after a crash re-evaluates the rules
    on the case as it now stands (assigning twice is harmless; a proposal or a
    status change already made no longer applies)."""
    assert step.submission is not None
    outcome = run_rules(step.submission, step.target_id.split(":", 1)[0])
    return {"done": outcome.done, "failed": outcome.failed}


def on_steps_planned(sender: Any, submission: Submission, **kwargs: Any) -> None:
    """The submission arrived for the back office (after payment, if paid online)."""
    plan_rules(submission, Rule.Trigger.SUBMITTED)


def plan_deadline_rules(city: Any, today: date) -> int:
    """Daily: open cases past their due date, for services with deadline rules."""
    slugs = set(
        Rule.objects.filter(city=city, trigger=Rule.Trigger.DEADLINE, enabled=True).values_list(
            "city_service__service_slug", flat=True
        )
    )
    planned = 0
    overdue = Submission.objects.filter(city=city, service_slug__in=slugs, status__in=OPEN, due_on__lt=today)
    for submission in overdue.only("pk", "city", "service_slug", "due_on"):
        with transaction.atomic():
            planned += plan_rules(submission, Rule.Trigger.DEADLINE, str(submission.due_on)) is not None
    return planned


@dataclass(frozen=True)
class DryRunRow:
    reference: str
    submitted_at: Any
    status: str
    matched: bool
    actions: list[str]


def dry_run(rule: Rule, last: int = 20) -> list[DryRunRow]:
    """What the rule would have done on the last `last` submissions of its
    service: reads only, writes nothing (not even an audit event)."""
    submissions = (
        Submission.objects.filter(city=rule.city_id, service_slug=rule.city_service.service_slug)
        .exclude(status__in=(Status.DELETED, Status.AWAITING_PAYMENT))
        .order_by("-submitted_at")[: max(1, min(last, 200))]
    )
    conditions = list(rule.conditions.all())
    actions = [describe(a) for a in rule.actions.select_related("assignee", "delivery_target", "letter_template")]
    rows = []
    for submission in submissions:
        facts = facts_of(submission)
        matched = submission.is_open and all(holds(c, facts) for c in conditions)
        rows.append(
            DryRunRow(submission.reference, submission.submitted_at, submission.get_status_display(), matched,
                      actions if matched else [])
        )  # fmt: skip
    return rows


def evaluate(rules: Iterable[LoadedRule], facts: Facts) -> list[LoadedRule]:
    """The rules that match (the benchmark's unit of work)."""
    return [rule for rule in rules if matches(rule, facts)]
