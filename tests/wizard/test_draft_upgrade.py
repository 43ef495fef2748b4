"""Splitting a long step (issue 21, item 6): Unterhaltsvorschuss 1.1 asks the
16 questions of "Angaben zu Ihnen" and of "Das Kind" on pages of their own
topic. A draft saved under the 1.0 layout still resumes where it left off, its
answers moved to the new steps, and is submitted under data schema 2."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.catalog.schema import published_schema
from forms_engine.submissions.models import Submission
from forms_engine.wizard import engine
from forms_engine.wizard.models import Draft, hash_resume_code
from services.unterhaltsvorschuss.samples import build_samples
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

SLUG = "unterhaltsvorschuss"
CODE = "ABCDE-FGHJK-LMNPQ-RSTUV"
# Fields on one UVG page at most, the "only if ..." details of a question included:
# "Unterhalt" has 11, three questions with their details; "About you" had 17.
LONGEST = 11


def _old_draft(giessen: Any) -> tuple[Draft, dict[str, Any]]:
    """A draft as 1.0 saved it: privacy, applicant and child done, one step each."""
    service = registry.get(SLUG)
    assert service is not None
    old = build_samples()["standard_kleinkind"]  # the samples are written in the 1.0 layout
    assert "email" in old["antragsteller"] and "betreuung_tage" in old["kind"]
    saved: dict[str, dict[str, Any]] = {}  # as 1.0 stored them: each old step's fields, cleaned
    for step in service.steps:
        source = step.split_from or step.name
        if source in ("datenschutz", "antragsteller", "kind"):
            assert step.form_class is not None
            form = step.form_class(data=old[source])
            assert form.is_valid(), form.errors
            saved.setdefault(source, {}).update(engine.form_answers(step, form))
    with scope(city=giessen):
        draft = Draft.start(city=giessen, service=service, language="de", days=30)
        draft.service_version = "1.0"
        draft.answers = saved
        draft.completed_steps = ["datenschutz", "antragsteller", "kind"]
        draft.resume_code_hash = hash_resume_code(CODE)
        draft.save()
    return draft, old


def test_no_uvg_page_asks_more_than_a_few_questions() -> None:
    service = registry.get(SLUG)
    assert service is not None
    sizes = {s.name: len(s.form_class.base_fields) for s in service.steps if s.form_class is not None}
    assert max(sizes.values()) <= LONGEST, sizes
    assert sizes["antragsteller"] + sizes["anschrift"] + sizes["familie"] == 17  # nothing lost in the split
    assert sizes["kind"] + sizes["kind-wohnen"] == 16


def test_a_draft_of_the_old_layout_resumes_where_it_left_off_and_submits(giessen: Any) -> None:
    enable_service(giessen, SLUG)
    draft, old = _old_draft(giessen)
    citizen = host_client("giessen.localhost")
    response = citizen.post("/resume/", {"code": CODE})
    # The three old steps were done, so the new pages split off them are done too.
    assert response["Location"] == f"/{SLUG}/sorgerecht/"
    with scope(city=giessen):
        draft.refresh_from_db()
    assert draft.service_version == "1.1"
    assert draft.answers["anschrift"]["email"] == old["antragsteller"]["email"]
    assert draft.answers["familie"]["familienstand"] == old["antragsteller"]["familienstand"]
    assert draft.answers["kind-wohnen"]["betreuung_tage"] == int(old["kind"]["betreuung_tage"])
    assert "email" not in draft.answers["antragsteller"] and "betreuung_tage" not in draft.answers["kind"]
    assert {"anschrift", "familie", "kind-wohnen"} <= set(draft.completed_steps)
    # The moved answers show on the new pages, ready to change.
    page = citizen.get(f"/{SLUG}/anschrift/").content.decode()
    assert old["antragsteller"]["email"] in page and "Ihre Anschrift und Kontaktdaten" in page

    service = registry.get(SLUG)
    assert service is not None
    answers = dict(service.sample_answers["standard_kleinkind"])
    result = walk(citizen, SLUG, answers, from_url=f"/{SLUG}/sorgerecht/")
    assert "Wo das Kind lebt" in result["check_html"] and old["antragsteller"]["email"] in result["check_html"]
    with scope(city=giessen):
        submission = Submission.objects.get()
    assert (submission.service_version, submission.data_schema_version) == ("1.1", "2")
    assert submission.contact_email == old["antragsteller"]["email"]
    assert submission.data["kind-wohnen"]["betreuung_tage"] == int(old["kind"]["betreuung_tage"])
    schema = published_schema(SLUG, "2")
    assert schema is not None
    jsonschema.validate(submission.data, schema, format_checker=jsonschema.FormatChecker())
    assert service.applicant_email(Answers(submission.data)) == old["antragsteller"]["email"]


def test_upgrading_twice_moves_nothing_more() -> None:
    service = registry.get(SLUG)
    assert service is not None
    answers: dict[str, Any] = {k: dict(v) for k, v in build_samples()["standard_kleinkind"].items()}
    completed = ["antragsteller"]
    assert service.upgrade_answers(answers, completed)
    once = {k: dict(v) for k, v in answers.items()}
    assert not service.upgrade_answers(answers, completed)
    assert answers == once and completed == ["antragsteller", "anschrift", "familie"]
    assert re.fullmatch(r"\d+\.\d+", service.version)
