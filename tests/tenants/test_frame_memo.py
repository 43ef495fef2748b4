"""The page frame's memo blocks (tenants/templatetags/frame.py): the footer and
the header's brand are rendered once per city and language, and what they show
follows the city's settings at once; what differs per request (the CSRF token,
the path in the language switch) is never kept."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from forms_engine.tenants.templatetags import frame
from tests.conftest import host_client


def _footer(html: str) -> str:
    match = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)
    assert match, "the page has its footer"
    return match.group(0)


def test_the_footer_follows_the_city_settings_at_once(giessen: Any) -> None:
    client = host_client("giessen.localhost")
    giessen.contact_phone = "0641 306-0"
    giessen.save()
    assert "0641 306-0" in _footer(client.get("/").content.decode())
    giessen.contact_phone = "0641 306-1234"
    giessen.opening_hours = "Mo–Fr 8–12 Uhr"
    giessen.save()
    footer = _footer(client.get("/").content.decode())
    assert "0641 306-1234" in footer and "Mo–Fr 8–12 Uhr" in footer and "0641 306-0<" not in footer


def test_each_city_and_language_has_its_own_frame(giessen: Any, marburg: Any) -> None:
    de = host_client("giessen.localhost").get("/").content.decode()
    english = host_client("giessen.localhost")
    english.cookies["django_language"] = "en"
    en = english.get("/").content.decode()
    other = host_client("marburg.localhost").get("/").content.decode()
    assert "Kontakt" in _footer(de) and "Contact" in _footer(en)
    assert 'value="en" lang="en"' in de and 'value="de" lang="de"' in en
    assert giessen.name in _footer(de) and marburg.name not in _footer(de)
    assert marburg.name in _footer(other) and giessen.name not in _footer(other)
    assert f'<span class="site-header__name">{marburg.name}</span>' in other


def _switch(html: str) -> tuple[str, str]:
    token = re.search(r'class="language-switch".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S)
    path = re.search(r'class="language-switch".*?name="next" value="([^"]*)"', html, re.S)
    assert token and path
    return token.group(1), path.group(1)


def test_the_language_switch_keeps_the_request_its_own(giessen: Any) -> None:
    one = Client(HTTP_HOST="giessen.localhost", enforce_csrf_checks=True)
    two = host_client("giessen.localhost")
    token_one, path_one = _switch(one.get("/").content.decode())
    token_two, path_two = _switch(two.get("/impressum/").content.decode())
    assert token_one != token_two
    assert (path_one, path_two) == ("/", "/impressum/")
    switched = one.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_one})
    assert switched.status_code == 302


def test_the_store_is_bounded(giessen: Any, marburg: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(frame, "MEMO_ENTRIES", 3)
    frame.clear()
    for host in ("giessen.localhost", "marburg.localhost"):
        client: Client = host_client(host)
        client.get("/")
        client.cookies["django_language"] = "en"
        client.get("/")
    assert len(frame._memo) == 3
