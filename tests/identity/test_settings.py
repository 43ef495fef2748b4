"""The city's BundID settings: typed fields, the key write-only and encrypted
at rest, bad values refused in German; the SP metadata at its stable URL;
logout with single logout at the IdP."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.db import connection
from django.test import Client
from django.utils import translation
from django_scopes import scope

from forms_engine.identity.admin import BundIdSettingsForm
from forms_engine.identity.models import BundIdSettings
from tests.conftest import host_client

from .conftest import login
from .idp import BundIdStandIn


def test_sp_metadata_at_a_stable_url(citizen: Client, bundid: BundIdStandIn) -> None:
    answer = citizen.get("/bundid/metadata/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/samlmetadata+xml")
    xml = answer.content.decode()
    assert 'entityID="http://giessen.localhost/bundid/metadata/"' in xml or "giessen.localhost" in xml
    assert "/bundid/acs/" in xml and 'use="encryption"' in xml and 'use="signing"' in xml
    assert "PRIVATE KEY" not in xml


def test_no_bundid_pages_where_it_is_off(db: Any, marburg: Any) -> None:
    other = host_client("marburg.localhost")
    assert other.get("/bundid/metadata/").status_code == 404
    assert other.post("/bundid/anmelden/", {"service": "bewohnerparkausweis"}).status_code == 404


def test_the_key_is_encrypted_at_rest_and_never_shown(bundid: BundIdStandIn, giessen: Any) -> None:
    with scope(city=giessen):
        row = BundIdSettings.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT sp_key FROM identity_bundidsettings WHERE id = %s", [row.pk])
            stored = cursor.fetchone()[0]
        assert "PRIVATE KEY" not in stored and "PRIVATE KEY" in row.sp_key
        form = BundIdSettingsForm(instance=row)
        assert form.initial["sp_key"] == ""
        kept = BundIdSettingsForm(
            {**{f: getattr(row, f) for f in ("environment", "sp_certificate", "idp_metadata")}, "enabled": "on",
             "sp_key": "", "city": giessen.pk},
            instance=row,
        )  # fmt: skip
        assert kept.is_valid(), kept.errors
        assert kept.cleaned_data["sp_key"] == row.sp_key


def test_bad_settings_are_refused_in_german(bundid: BundIdStandIn, giessen: Any) -> None:
    with translation.override("de"), scope(city=giessen):
        form = BundIdSettingsForm(
            {"city": giessen.pk, "environment": "test", "enabled": "on", "sp_key": "kein Schlüssel",
             "sp_certificate": "auch nicht", "idp_metadata": "<md/>", "required_services": "gibtsnicht"},
        )  # fmt: skip
        assert not form.is_valid()
        assert "kein privater Schlüssel" in str(form.errors["sp_key"])
        assert "kein Zertifikat" in str(form.errors["sp_certificate"])
        assert "keine Metadaten eines SAML-Identity-Providers" in str(form.errors["idp_metadata"])
        assert "Unbekannter Dienst" in str(form.errors["required_services"])


def test_logout_ends_our_session_and_bundids(citizen: Client, bundid: BundIdStandIn) -> None:
    login(citizen, bundid)
    answer = citizen.post("/bundid/abmelden/")
    assert answer.status_code == 200 and "Sie sind abgemeldet" in answer.content.decode()
    found = re.search(r'id="bundid-slo" href="([^"]+)"', answer.content.decode())
    assert found is not None
    location = html.unescape(found.group(1))
    assert location.startswith(bundid.url + "idp/profile/SAML2/Redirect/SLO")
    query = parse_qs(urlsplit(location).query)
    assert {"SAMLRequest", "SigAlg", "Signature"} <= set(query)  # a signed LogoutRequest
    assert "gemeinsam_bundid" not in citizen.session
    back = requests.get(location, allow_redirects=False, timeout=10)  # BundID ends its session, sends us back
    assert back.status_code == 303 and "://giessen.localhost/bundid/abmelden/?" in back.headers["Location"]
    assert "SAMLResponse" in back.headers["Location"] and bundid.logouts
    assert citizen.get("/meine-antraege/").content.decode().count("Mit BundID anmelden") >= 1
