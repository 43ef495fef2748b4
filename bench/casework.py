"""Casework automation figures for `make bench` (contract: bench/README.md).

- rule evaluation per submission with 20 active rules on the service: what the
  rules step does before it acts (load the service's rules with their
  conditions and actions, read the case's facts, check every condition),
  median and p95 over BENCH_RULE_REPEATS runs in a warm process; goal ≤ 5 ms;
- the same check alone, in memory (rules and facts loaded once);
- decision letter rendering (PDF/UA on the letterhead, the parking permit
  letter of the demo), median over BENCH_LETTER_RENDERS renders.

Works on Gießen's resident parking permit in the bench database; the 20 rules
it adds are deleted again at the end.
"""

from __future__ import annotations

import os
import statistics
import time

Row = tuple[str, str, str]
RULES = 20
REPEATS = int(os.environ.get("BENCH_RULE_REPEATS", "300"))
RENDERS = int(os.environ.get("BENCH_LETTER_RENDERS", "10"))
SERVICE = "bewohnerparkausweis"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run() -> list[Row]:
    from django.db import transaction
    from django_scopes import scope, scopes_disabled

    from forms_engine.backoffice import letters, rules
    from forms_engine.backoffice.models import LetterTemplate, Rule, RuleAction, RuleCondition
    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.submissions.actions import submission_submit
    from forms_engine.tenants.models import City
    from forms_engine.wizard import engine

    service = registry.get(SERVICE)
    if service is None or not service.sample_answers:
        raise RuntimeError("no parking permit sample answers")
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
        city_service = CityService.objects.get(city=city, service_slug=SERVICE)
    answers = Answers(dict(service.sample_answers[next(iter(service.sample_answers))]))
    rows: list[Row] = []
    with scope(city=city):
        context = city_service.context()
        snapshot = engine.snapshot(service, context, answers, [])
        with transaction.atomic():
            made = []
            for n in range(RULES):
                rule = Rule.objects.create(
                    city=city, city_service=city_service, name=f"bench {n}", trigger=Rule.Trigger.DEADLINE
                )
                # Conditions that mostly hold, so that every condition is looked at.
                RuleCondition.objects.create(
                    city=city, rule=rule, kind=RuleCondition.Kind.ANSWER_GIVEN, field="vehicle.licence_plate"
                )
                RuleCondition.objects.create(
                    city=city, rule=rule, kind=RuleCondition.Kind.FEE_AT_MOST, field="", value=str(1000 + n)
                )
                RuleCondition.objects.create(
                    city=city, rule=rule, kind=RuleCondition.Kind.ANSWER_IS_NOT, field="residence.zone", value="X"
                )
                RuleAction.objects.create(city=city, rule=rule, kind=RuleAction.Kind.STATUS, status="in_progress")
                made.append(rule.pk)
        submission = submission_submit(
            city=city, service=service, context=context, answers=answers, snapshot=snapshot, attachments=[],
            language="de",
        )  # fmt: skip
        try:
            warm = rules.load_rules(city.pk, SERVICE, Rule.Trigger.DEADLINE)
            rules.evaluate(warm, rules.facts_of(submission))  # warm-up
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                loaded = rules.load_rules(city.pk, SERVICE, Rule.Trigger.DEADLINE)
                matched = rules.evaluate(loaded, rules.facts_of(submission))
                times.append(time.perf_counter() - started)
            if len(loaded) != RULES:
                raise RuntimeError(f"expected {RULES} rules, found {len(loaded)}")
            facts = rules.facts_of(submission)
            memory = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                rules.evaluate(warm, facts)
                memory.append(time.perf_counter() - started)
            method = (
                f"{REPEATS} runs, warm process, {RULES} rules × 3 conditions ({len(matched)} match): "
                "load the rules with their conditions (1 query), facts of the case (no query for these "
                "conditions), check"
            )
            rows += [
                (
                    "rule evaluation per submission, 20 rules, median",
                    f"{statistics.median(times) * 1000:.2f} ms",
                    method,
                ),
                (
                    "rule evaluation per submission, 20 rules, p95",
                    f"{_p95(times) * 1000:.2f} ms",
                    method + "; goal ≤ 5 ms",
                ),
                (
                    "rule check alone (in memory), 20 rules, median",
                    f"{statistics.median(memory) * 1000:.3f} ms",
                    f"{REPEATS} runs over rules and facts loaded once",
                ),
            ]

            template = LetterTemplate.objects.filter(city=city, city_service=city_service).first()
            if template is None:
                raise RuntimeError("the demo's parking permit letter template is missing")
            with transaction.atomic():
                letter = letters.letter_issue(submission=submission, template=template, by=None, rule_name="bench")
            letters.render_letter_pdf(letter)  # warm-up: imports, fonts
            renders = []
            for _ in range(RENDERS):
                started = time.perf_counter()
                pdf = letters.render_letter_pdf(letter)
                renders.append(time.perf_counter() - started)
            rows.append(
                (
                    "decision letter render (PDF/UA, letterhead), median",
                    f"{statistics.median(renders):.2f} s",
                    f"{RENDERS} renders of the parking permit letter after one warm-up, {len(pdf) // 1024} KiB",
                )
            )
        finally:
            Rule.objects.filter(pk__in=made).delete()
    return rows


if __name__ == "__main__":
    import sys
    from pathlib import Path

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for row in run():
        print(" | ".join(row))
