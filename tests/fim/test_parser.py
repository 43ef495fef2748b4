"""What the importer makes of every feldart, datentyp, cardinality, code-list
form and rule shape in the hand-written 2.0 and 3.0.0 documents."""

from __future__ import annotations

from typing import Any

from django import forms

from forms_engine.catalog.fields import DecimalTextField
from forms_engine.fim.build import build_service
from forms_engine.fim.codelists import read_codelist
from forms_engine.fim.parser import read
from tests.fim.helpers import CODELIST, fixture


def v2() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    uri, rows = read_codelist(fixture(CODELIST))
    return read(fixture("v2-tierhaltung.xml"), {uri: rows})


def outcomes(report: list[dict[str, Any]]) -> dict[str, str]:
    return {e["id"]: e["outcome"] for e in report}


def test_v2_groups_become_steps_keyed_by_fim_ids() -> None:
    definition, _report = v2()
    assert definition["format"] == "2.0" and definition["schema_id"] == "S00000100"
    assert [s["name"] for s in definition["steps"]] == ["G00000001", "G00000003", "G00000004", "S00000100-4"]
    person = definition["steps"][0]
    # the nested contact group is flattened into its parent's step
    assert [f["name"] for f in person["fields"]][-2:] == ["F00000008", "F00000009"]


def test_v2_every_datentyp_and_feldart() -> None:
    definition, report = v2()
    service = build_service(definition, version=definition["version"])
    person, animal, holders, remarks = service.steps
    assert person.form_class and animal.form_class and holders.form_class and remarks.form_class
    f1 = person.form_class().fields
    assert "Ausweis" in str(person.intro)  # feldart label: explanatory text
    assert isinstance(f1["F00000002"], forms.CharField) and f1["F00000002"].max_length == 120
    assert f1["F00000002"].help_text == "Wie im Ausweis."
    assert isinstance(f1["F00000003"], forms.DateField)
    assert not f1["F00000004"].required  # 0:1
    assert isinstance(f1["F00000005"], forms.ChoiceField)  # bool: yes/no
    assert f1["F00000006"].disabled and isinstance(f1["F00000006"].widget, forms.HiddenInput)
    assert f1["F00000006"].initial == "Neuantrag"
    assert f1["F00000007"].disabled and f1["F00000007"].initial == "FIM-Import"
    f2 = animal.form_class().fields
    assert [k for k, _v in f2["F00000010"].choices] == ["01", "02", "03"]  # type: ignore[attr-defined]
    assert isinstance(f2["F00000011"], forms.IntegerField)
    assert isinstance(f2["F00000012"], DecimalTextField) and isinstance(f2["F00000013"], DecimalTextField)
    assert [a.key for a in animal.attachments] == ["F00000015"]
    assert outcomes(report)["F00000017"] == "not_supported"  # datentyp obj, listed not dropped
    assert holders.repeat is not None and (holders.repeat.min_entries, holders.repeat.max_entries) == (1, 3)


def test_email_and_name_fields_are_recognised() -> None:
    definition, report = v2()
    service = build_service(definition, version="1.0")
    assert service.applicant_email_field == "G00000001.F00000008"
    assert service.applicant_name_fields == ("G00000001.F00000002",)
    assert outcomes(report)["F00000008"] == "role_email"
    person = service.steps[0]
    assert person.form_class is not None
    assert isinstance(person.form_class().fields["F00000008"], forms.EmailField)


def test_praezisierung_is_validated_on_the_server() -> None:
    definition, _report = v2()
    person = build_service(definition, version="1.0").steps[0]
    assert person.form_class is not None
    form = person.form_class(data={"F00000002": "", "F00000004": "123", "F00000005": "ja", "F00000003": "x"})
    assert not form.is_valid()
    assert set(form.errors) >= {"F00000002", "F00000004", "F00000003", "F00000008"}
    animal = build_service(definition, version="1.0").steps[1]
    assert animal.form_class is not None
    data = {"F00000010": "01", "F00000011": "11", "F00000013": "10", "F00000014": "2024-01-01T10:00"}
    form = animal.form_class(data=data)
    assert not form.is_valid() and set(form.errors) == {"F00000011"}  # maxValue 10


def test_text_latin_refuses_other_scripts() -> None:
    definition, _report = v2()
    person = build_service(definition, version="1.0").steps[0]
    assert person.form_class is not None
    form = person.form_class(data={"F00000002": "Иванов"})
    assert "F00000002" in form.errors


def test_rules_become_conditions_or_are_listed() -> None:
    definition, report = v2()
    assert outcomes(report)["R00000001"] == "condition"
    assert {r["id"] for r in definition["rules"]} == {"R00000002", "R00000003"}
    service = build_service(definition, version="1.0")
    from forms_engine.catalog.base import Answers

    assert [s.name for s in service.active_steps(Answers({"G00000001": {"F00000005": "nein"}}))] == [
        "G00000001",
        "G00000004",
        "S00000100-4",
    ]


def test_report_lists_every_element() -> None:
    data = fixture("v2-tierhaltung.xml").decode()
    _definition, report = v2()
    ids = {e["id"] for e in report}
    import re

    in_document = set(re.findall(r"<xdf:id>([SGFR]\d+)</xdf:id>", data))
    assert in_document == ids


def test_v3_inline_code_lists_attributes_and_large_groups() -> None:
    definition, report = read(fixture("v3-veranstaltung.xml"))
    assert definition["format"] == "3.0.0" and definition["version"] == "1.2.0"
    names = [s["name"] for s in definition["steps"]]
    # the large group G60000000002 is split into its nested groups
    assert names == ["G60000000001", "G60000000003", "G60000000004", "G60000000005", "G60000000006", "G60000000007"]
    assert outcomes(report)["G60000000002"] == "split"
    first = definition["steps"][0]["fields"]
    assert first[0]["choices"][0] == ["fest", "Straßenfest"]
    assert (first[1]["min_length"], first[1]["max_length"]) == (3, 80)
    service = build_service(definition, version="1.2.0")
    drinks = service.step("G60000000006")
    assert drinks is not None and drinks.condition is not None  # skript "F… == "ja""
    assert drinks.form_class is not None
    assert isinstance(drinks.form_class().fields["F60000000040"].widget, forms.Select)  # 8 codes: a list box
    organisers = service.step("G60000000007")
    assert organisers is not None and organisers.repeat is not None and organisers.repeat.max_entries == 20
    assert outcomes(report)["R60000000002"] == "rule_listed"
