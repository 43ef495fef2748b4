"""The FIT-Connect target in the admin: typed fields, the client secret
encrypted and never shown, German errors, "Verbindung testen" against the
local Zustelldienst; and every registered service delivered through it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.demo.zustelldienst import Zustelldienst
from forms_engine.submissions.models import Submission
from tests.conftest import enable_service, host_client, sign_in
from tests.delivery.test_admin import add_target
from tests.wizard.walk import walk

from .conftest import deliver, destination_for, fitconnect_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(giessen: Any, giessen_admin: Any) -> Any:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    return client


def typed_fields(fake: Zustelldienst, **overrides: str) -> dict[str, str]:
    options = fake.options()
    fields = {f"fitconnect-{k}": str(v) for k, v in options.items()}
    return {"channel": "fitconnect", **fields, **{f"fitconnect-{k}": v for k, v in overrides.items()}}


def test_target_through_typed_fields_and_verbindung_testen(
    admin_client: Any, giessen: Any, zustelldienst: Zustelldienst
) -> None:
    destination = destination_for(zustelldienst, giessen)
    fields = typed_fields(zustelldienst, destination_id=destination)
    response = add_target(admin_client, **fields)
    assert response.status_code == 302, response.content[:3000]
    with scope(city=giessen):
        target = DeliveryTarget.objects.get()
    secret = fields["fitconnect-client_secret"]
    assert target.secrets == {"client_secret": secret} and target.options["destination_id"] == destination
    page = admin_client.get(f"/admin/delivery/deliverytarget/{target.pk}/change/").content.decode()
    assert secret not in page and "Client-Geheimnis" in page and "Zustellpunkt-ID" in page
    response = admin_client.post(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/", follow=True)
    text = response.content.decode()
    assert "Die Verbindung funktioniert." in text and "nimmt diese Leistung an" in text, text[-3000:]
    assert zustelldienst.submissions == {}  # nothing was sent


def test_verbindung_testen_reports_a_wrong_secret(
    admin_client: Any, giessen: Any, zustelldienst: Zustelldienst
) -> None:
    target = fitconnect_target(zustelldienst, giessen, client_secret="nicht-das-richtige")
    response = admin_client.post(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/", follow=True)
    assert "die Client-ID oder das Client-Geheimnis abgelehnt" in response.content.decode()


def test_invalid_settings_are_refused_in_german(admin_client: Any, giessen: Any, zustelldienst: Zustelldienst) -> None:
    text = add_target(admin_client, **typed_fields(zustelldienst, token_url="")).content.decode()
    assert "Eigene Adressen brauchen diese Adresse." in text
    text = add_target(
        admin_client, **typed_fields(zustelldienst, environment="prod", trust_anchors="")
    ).content.decode()
    assert "Die Produktion braucht die Vertrauensanker der Verwaltungs-PKI." in text
    text = add_target(admin_client, **typed_fields(zustelldienst, trust_anchors="kein Zertifikat")).content.decode()
    assert "Das sind keine PEM-Zertifikate." in text
    text = add_target(admin_client, **typed_fields(zustelldienst, api_version="1")).content.decode()
    assert "Geben Sie die Version als v1, v2, … an." in text
    with scope(city=giessen):
        assert not DeliveryTarget.objects.exists()


@pytest.mark.parametrize("slug", [s.slug for s in registry.all_services()])
def test_every_registered_service_is_accepted_by_the_zustelldienst(
    giessen: Any, zustelldienst: Zustelldienst, slug: str
) -> None:
    """Through the wizard and the pipeline's tasks (PDF, then delivery), as in
    `make run`: the metadata validates, the hashes hold, the data arrives."""
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug)
    options = zustelldienst.options(destination_id=destination_for(zustelldienst, giessen, slug))
    with scope(city=giessen), override_settings(DELIVERY_ALLOW_PRIVATE_TARGETS=True):
        target = DeliveryTarget(city=giessen, service_slug=slug, name="Fachamt", channel="fitconnect")
        target.configure(options)
        target.save()
    client = host_client("giessen.localhost")
    path = next(iter(service.sample_answers))
    walk(client, slug, dict(service.sample_answers[path]))
    with scope(city=giessen):
        submission = Submission.objects.get()
    state, step = deliver(submission, target)
    assert state == "done", step.last_error
    assert zustelldienst.refused == []
    [sent] = zustelldienst.submitted
    assert step.result["fitconnect"]["submission_id"] == sent["submissionId"]
    assert sent["data"] == submission.data
    assert sent["metadata"]["publicServiceType"]["identifier"] == f"urn:de:fim:leika:leistung:{service.leika_key}"
    with scope(city=giessen):
        uploads = sorted(a.filename for a in submission.attachments.all())
    listed = sent["metadata"]["contentStructure"]["attachments"]
    assert sorted(a["filename"] for a in listed if a["purpose"] == "attachment") == uploads
